// Over 400 lines: one event-sourced model of Workday's transaction log; split, the replay would sit apart from the records it replays.
/**
 * The Workday fake's data, event-sourced the way Workday's transaction log is: every change is a transaction
 * with an entry moment (when it was keyed in) and an effective moment (when it takes effect). A record's state
 * "as of" an entry moment and an effective moment replays the transactions entered and effective by then,
 * leaving out rescinded ones and superseded (corrected) ones. That gives, with no extra machinery:
 * - stable snapshots for a fixed `As_Of_Entry_DateTime` (later entries are invisible);
 * - future-dated changes that only show once their effective moment has passed;
 * - rescinds (the record or application disappears) and corrections (the values change in place).
 *
 * Independent of shared/providers: this is the fake's own reading of docs/providers.md §5.
 */
import type { ControllableClock } from '../common/controllable-clock.js';
import { createSeededRng, type SeededRng, syntheticPerson } from '../common/seeded-rng.js';

export interface WorkflowStep {
  /** `Workflow_Step_ID`. */
  id: string;
  /** `Recruiting_Stage_ID`. */
  stageId: string;
  name: string;
}

/** Ordinary steps in order; `Next_Step_Reference` may only move forward (the fake's business process). */
export const DEFAULT_WORKFLOW: WorkflowStep[] = [
  { id: 'STEP-REVIEW', stageId: 'Review', name: 'Review' },
  { id: 'STEP-SCREEN', stageId: 'Screen', name: 'Screen' },
  { id: 'STEP-INTERVIEW', stageId: 'Interview', name: 'Interview' },
  { id: 'STEP-OFFER', stageId: 'Offer', name: 'Offer' },
  { id: 'STEP-READY-FOR-HIRE', stageId: 'Ready_for_Hire', name: 'Ready for Hire' },
];

/** Disposition steps accepted by `Disposition_Step_Reference`, with the disposition they record by default. */
export const DEFAULT_DISPOSITION_STEPS: { id: string; defaultDispositionId: string }[] = [
  { id: 'STEP-DISPOSITION', defaultDispositionId: 'Not_Selected' },
  { id: 'STEP-WITHDRAWN', defaultDispositionId: 'Candidate_Withdrew' },
];

export type TxnTargetType = 'Candidate_ID' | 'Job_Application_ID' | 'Job_Requisition_ID';

export type TxnPatch =
  | { kind: 'candidate.create'; firstName: string; lastName: string; email: string; phone: string }
  | { kind: 'candidate.edit'; firstName?: string; lastName?: string; email?: string; phone?: string }
  | {
      kind: 'application.create';
      applicationId: string;
      applicationWid: string;
      requisitionId: string;
      stepId: string;
      source: string;
    }
  | { kind: 'application.move'; applicationId: string; stepId: string }
  | {
      kind: 'application.disposition';
      applicationId: string;
      dispositionStepId: string;
      dispositionId: string;
    }
  | { kind: 'requisition.status'; status: RequisitionStatus };

export interface Txn {
  seq: number;
  wid: string;
  /** Transaction type id (`Business_Process_Type` in the log). */
  type: string;
  entryMs: number;
  effectiveMs: number;
  target: { type: TxnTargetType; id: string };
  /** Null for rescind transactions. */
  patch: TxnPatch | null;
  rescinds?: number;
  corrects?: number;
}

export type RequisitionStatus = 'Open' | 'Closed' | 'Filled' | 'Frozen';

export interface FakeRequisition {
  id: string;
  wid: string;
  title: string;
  timeType: 'Full_time' | 'Part_time';
  workerType: 'Employee' | 'Contingent_Worker';
  /** Workday leaves the elements out when a requisition has none. */
  description: string | null;
  location: { id: string; name: string } | null;
  txns: Txn[];
}

export const WD_LOCATIONS = [
  { id: 'LOC_PLEASANTON', name: 'Pleasanton' },
  { id: 'LOC_DUBLIN', name: 'Dublin' },
];

export interface FakeCandidate {
  id: string;
  wid: string;
  txns: Txn[];
}

export interface ApplicationView {
  id: string;
  wid: string;
  requisitionId: string;
  stepId: string;
  source: string;
  appliedMs: number;
  dispositionStepId: string | null;
  dispositionId: string | null;
  /** Effective moment of the last change applied to the application. */
  statusMs: number;
}

export interface CandidateView {
  id: string;
  wid: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  applications: ApplicationView[];
}

export interface RequisitionView {
  id: string;
  wid: string;
  title: string;
  status: RequisitionStatus;
  timeType: FakeRequisition['timeType'];
  workerType: FakeRequisition['workerType'];
  description: FakeRequisition['description'];
  location: FakeRequisition['location'];
}

export interface AsOf {
  entryMs: number;
  effectiveMs: number;
}

/** One `Transaction_Log_Criteria_Data`: absent bounds are open. */
export interface LogCriterion {
  updatedFrom?: number;
  updatedThrough?: number;
  effectiveFrom?: number;
  effectiveThrough?: number;
  /** Transaction type ids; empty means any type. */
  types: string[];
}

export interface WorkdayDataOptions {
  seed: number;
  candidates: number;
  requisitions: number;
  workflow: WorkflowStep[];
  /** Share (0..1) of applications that start dispositioned. */
  dispositionedShare: number;
}

const DAY_MS = 86_400_000;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function createWorkdayState(options: WorkdayDataOptions, clock: ControllableClock) {
  const rng: SeededRng = createSeededRng(options.seed);
  const workflow = options.workflow;
  const dispositionSteps = DEFAULT_DISPOSITION_STEPS;
  let seq = 0;
  let applicationCounter = 0;
  const candidates: FakeCandidate[] = [];
  const candidatesById = new Map<string, FakeCandidate>();
  const candidateByApplication = new Map<string, FakeCandidate>();
  const requisitions: FakeRequisition[] = [];
  const requisitionsById = new Map<string, FakeRequisition>();

  // WIDs: 32 hex characters, unique and deterministic (a seed-derived prefix and a counter); cheap for 10,000s.
  const widPrefix = rng.hex(8);
  let widCounter = 0;
  const wid = () => {
    widCounter += 1;
    return `${widPrefix}${widCounter.toString(16).padStart(24, '0')}`;
  };

  function txn(
    type: string,
    target: Txn['target'],
    patch: TxnPatch | null,
    entryMs: number,
    effectiveMs: number,
    extra: Partial<Pick<Txn, 'rescinds' | 'corrects'>> = {},
  ): Txn {
    seq += 1;
    return { seq, wid: wid(), type, entryMs, effectiveMs, target, patch, ...extra };
  }

  // ── seed data ──────────────────────────────────────────────────────────────
  const start = clock.nowMs();
  const titles = [
    'Software Engineer',
    'Data Analyst',
    'Recruiter',
    'Product Manager',
    'Designer',
    'Nurse',
    'Driver',
  ];
  for (let i = 0; i < options.requisitions; i += 1) {
    const requisition: FakeRequisition = {
      id: `R-${pad(i + 1, 5)}`,
      wid: wid(),
      title: `${rng.pick(titles)} ${i + 1}`,
      timeType: rng.next() < 0.8 ? 'Full_time' : 'Part_time',
      workerType: rng.next() < 0.85 ? 'Employee' : 'Contingent_Worker',
      description: i % 3 === 2 ? null : `Requisition ${i + 1}: join the team.`,
      location: i % 4 === 3 ? null : WD_LOCATIONS[i % WD_LOCATIONS.length]!,
      txns: [],
    };
    const createdMs = start - 60 * DAY_MS + i * 60_000;
    const status: RequisitionStatus =
      i === 0 || rng.next() < 0.8 ? 'Open' : rng.pick(['Closed', 'Filled', 'Frozen'] as const);
    requisition.txns.push(
      txn(
        'Create Job Requisition',
        { type: 'Job_Requisition_ID', id: requisition.id },
        { kind: 'requisition.status', status },
        createdMs,
        createdMs,
      ),
    );
    requisitions.push(requisition);
    requisitionsById.set(requisition.id, requisition);
  }

  function newApplication(
    candidate: FakeCandidate,
    requisitionId: string,
    stepId: string,
    atMs: number,
    effectiveMs = atMs,
  ) {
    applicationCounter += 1;
    const applicationId = `JA-${pad(applicationCounter, 7)}`;
    candidate.txns.push(
      txn(
        'Job Application',
        { type: 'Job_Application_ID', id: applicationId },
        {
          kind: 'application.create',
          applicationId,
          applicationWid: wid(),
          requisitionId,
          stepId,
          source: 'Career_Site',
        },
        atMs,
        effectiveMs,
      ),
    );
    candidateByApplication.set(applicationId, candidate);
    return applicationId;
  }

  function newCandidate(
    person: { first: string; last: string; email: string; phone: string },
    atMs: number,
    effectiveMs = atMs,
  ) {
    const id = `C-${pad(candidates.length + 1, 6)}`;
    const candidate: FakeCandidate = { id, wid: wid(), txns: [] };
    candidate.txns.push(
      txn(
        'Create Candidate',
        { type: 'Candidate_ID', id },
        {
          kind: 'candidate.create',
          firstName: person.first,
          lastName: person.last,
          email: person.email,
          phone: person.phone,
        },
        atMs,
        effectiveMs,
      ),
    );
    candidates.push(candidate);
    candidatesById.set(id, candidate);
    return candidate;
  }

  /** A seed application moved to the first disposition step, with that step's default disposition. */
  function disposition(candidate: FakeCandidate, applicationId: string, atMs: number) {
    const step = dispositionSteps[0];
    if (!step) return;
    candidate.txns.push(
      txn(
        'Move Candidate',
        { type: 'Job_Application_ID', id: applicationId },
        {
          kind: 'application.disposition',
          applicationId,
          dispositionStepId: step.id,
          dispositionId: step.defaultDispositionId,
        },
        atMs,
        atMs,
      ),
    );
  }

  const spreadMs = 30 * DAY_MS;
  for (let i = 0; i < options.candidates; i += 1) {
    const createdMs =
      start - spreadMs + Math.floor((i * spreadMs) / Math.max(1, options.candidates)) - 3_600_000;
    const candidate = newCandidate(syntheticPerson(rng, i + 1), createdMs);
    const applicationCount = requisitions.length === 0 ? 0 : rng.next() < 0.25 ? 2 : 1;
    // Workday takes one open application of a candidate to a requisition: a second one to the same requisition is a
    // re-application, made after the first was dispositioned (the history the hub imports whole)
    let previous: { requisitionId: string; applicationId: string; dispositioned: boolean } | null = null;
    for (let a = 0; a < applicationCount; a += 1) {
      const requisition = rng.pick(requisitions);
      const step = workflow[rng.int(0, Math.min(2, workflow.length - 1))] ?? workflow[0];
      if (!step) break;
      const appliedMs = createdMs + (a + 1) * 1_000;
      if (previous && previous.requisitionId === requisition.id && !previous.dispositioned) {
        disposition(candidate, previous.applicationId, appliedMs - 500);
      }
      const applicationId = newApplication(candidate, requisition.id, step.id, appliedMs);
      const dispositioned = rng.next() < options.dispositionedShare;
      if (dispositioned) disposition(candidate, applicationId, appliedMs + 1_000);
      previous = { requisitionId: requisition.id, applicationId, dispositioned };
    }
  }

  // ── reading ────────────────────────────────────────────────────────────────

  function excluded(
    txns: readonly Txn[],
    entryMs: number,
  ): { rescinded: Set<number>; corrected: Set<number> } {
    const rescinded = new Set<number>();
    const corrected = new Set<number>();
    for (const t of txns) {
      if (t.entryMs > entryMs) continue;
      if (t.rescinds !== undefined) rescinded.add(t.rescinds);
      if (t.corrects !== undefined) corrected.add(t.corrects);
    }
    return { rescinded, corrected };
  }

  function applicable(txns: readonly Txn[], asOf: AsOf): Txn[] {
    const { rescinded, corrected } = excluded(txns, asOf.entryMs);
    return txns
      .filter(
        (t) =>
          t.patch !== null &&
          t.entryMs <= asOf.entryMs &&
          t.effectiveMs <= asOf.effectiveMs &&
          !rescinded.has(t.seq) &&
          !corrected.has(t.seq),
      )
      .sort((a, b) => a.effectiveMs - b.effectiveMs || a.entryMs - b.entryMs || a.seq - b.seq);
  }

  function candidateView(candidate: FakeCandidate, asOf: AsOf): CandidateView | null {
    let view = null as CandidateView | null;
    const applications = new Map<string, ApplicationView>();
    for (const t of applicable(candidate.txns, asOf)) {
      const patch = t.patch;
      if (!patch) continue;
      if (patch.kind === 'candidate.create') {
        view = {
          id: candidate.id,
          wid: candidate.wid,
          firstName: patch.firstName,
          lastName: patch.lastName,
          email: patch.email,
          phone: patch.phone,
          applications: [],
        };
      } else if (patch.kind === 'candidate.edit') {
        const current = view as CandidateView | null;
        if (current) {
          view = {
            ...current,
            firstName: patch.firstName ?? current.firstName,
            lastName: patch.lastName ?? current.lastName,
            email: patch.email ?? current.email,
            phone: patch.phone ?? current.phone,
          };
        }
      } else if (patch.kind === 'application.create') {
        applications.set(patch.applicationId, {
          id: patch.applicationId,
          wid: patch.applicationWid,
          requisitionId: patch.requisitionId,
          stepId: patch.stepId,
          source: patch.source,
          appliedMs: t.effectiveMs,
          dispositionStepId: null,
          dispositionId: null,
          statusMs: t.effectiveMs,
        });
      } else if (patch.kind === 'application.move') {
        const application = applications.get(patch.applicationId);
        if (application) Object.assign(application, { stepId: patch.stepId, statusMs: t.effectiveMs });
      } else if (patch.kind === 'application.disposition') {
        const application = applications.get(patch.applicationId);
        if (application) {
          Object.assign(application, {
            dispositionStepId: patch.dispositionStepId,
            dispositionId: patch.dispositionId,
            statusMs: t.effectiveMs,
          });
        }
      }
    }
    if (!view) return null;
    return { ...view, applications: [...applications.values()].sort((a, b) => a.id.localeCompare(b.id)) };
  }

  function requisitionView(requisition: FakeRequisition, asOf: AsOf): RequisitionView | null {
    let status: RequisitionStatus | null = null;
    for (const t of applicable(requisition.txns, asOf)) {
      if (t.patch?.kind === 'requisition.status') status = t.patch.status;
    }
    if (!status) return null;
    const { id, wid: requisitionWid, title, timeType, workerType, description, location } = requisition;
    return { id, wid: requisitionWid, title, status, timeType, workerType, description, location };
  }

  function matches(t: Txn, criterion: LogCriterion): boolean {
    if (criterion.updatedFrom !== undefined && t.entryMs < criterion.updatedFrom) return false;
    if (criterion.updatedThrough !== undefined && t.entryMs > criterion.updatedThrough) return false;
    if (criterion.effectiveFrom !== undefined && t.effectiveMs < criterion.effectiveFrom) return false;
    if (criterion.effectiveThrough !== undefined && t.effectiveMs > criterion.effectiveThrough) return false;
    return criterion.types.length === 0 || criterion.types.includes(t.type);
  }

  /** Whether any transaction entered by `asOf` satisfies one of the criteria (instances are alternatives). */
  function selectedByLog(txns: readonly Txn[], criteria: readonly LogCriterion[], asOf: AsOf): boolean {
    return txns.some((t) => t.entryMs <= asOf.entryMs && criteria.some((c) => matches(t, c)));
  }

  /** Log entries visible as of the entry moment, with Workday's rescind / correction flags. */
  function logEntries(txns: readonly Txn[], asOf: AsOf) {
    const { rescinded, corrected } = excluded(txns, asOf.entryMs);
    return txns
      .filter((t) => t.entryMs <= asOf.entryMs)
      .map((t) => ({
        txn: t,
        rescindFlag: t.rescinds !== undefined || rescinded.has(t.seq),
        correctionFlag: t.corrects !== undefined || corrected.has(t.seq),
      }));
  }

  function candidateOfApplication(applicationId: string): FakeCandidate {
    const candidate = candidateByApplication.get(applicationId);
    if (!candidate) throw new Error(`no application ${applicationId}`);
    return candidate;
  }

  function now(): AsOf {
    return { entryMs: clock.nowMs(), effectiveMs: clock.nowMs() };
  }

  function effectiveAt(options?: { effectiveAt?: Date | number }): number {
    const at = options?.effectiveAt;
    return at === undefined ? clock.nowMs() : typeof at === 'number' ? at : at.getTime();
  }

  function liveCandidates(asOf: AsOf = now()): CandidateView[] {
    return candidates.map((c) => candidateView(c, asOf)).filter((v): v is CandidateView => v !== null);
  }

  return {
    workflow,
    dispositionSteps,
    candidates: candidates as readonly FakeCandidate[],
    requisitions: requisitions as readonly FakeRequisition[],
    candidateView,
    requisitionView,
    selectedByLog,
    logEntries,

    /** Current views (as of the fake's clock) of every existing candidate. */
    liveCandidates,
    liveApplications(asOf: AsOf = now()): ApplicationView[] {
      return liveCandidates(asOf).flatMap((c) => c.applications);
    },
    liveRequisitions(asOf: AsOf = now()): RequisitionView[] {
      return requisitions
        .map((r) => requisitionView(r, asOf))
        .filter((v): v is RequisitionView => v !== null);
    },
    application(applicationId: string, asOf: AsOf = now()): ApplicationView | null {
      const candidate = candidateByApplication.get(applicationId);
      const view = candidate ? candidateView(candidate, asOf) : null;
      return view?.applications.find((a) => a.id === applicationId) ?? null;
    },
    candidateIdOfApplication(applicationId: string): string | null {
      return candidateByApplication.get(applicationId)?.id ?? null;
    },

    // ── mutations made "inside Workday" ──────────────────────────────────────

    addCandidate(
      input: {
        firstName?: string;
        lastName?: string;
        email?: string;
        phone?: string;
        requisitionIds?: string[];
        effectiveAt?: Date | number;
      } = {},
    ) {
      const person = syntheticPerson(rng, candidates.length + 1);
      const candidate = newCandidate(
        {
          first: input.firstName ?? person.first,
          last: input.lastName ?? person.last,
          email: input.email ?? person.email,
          phone: input.phone ?? person.phone,
        },
        clock.nowMs(),
        effectiveAt(input),
      );
      const firstStep = workflow[0];
      const applicationIds = (input.requisitionIds ?? []).map((requisitionId) => {
        if (!requisitionsById.has(requisitionId)) throw new Error(`no requisition ${requisitionId}`);
        if (!firstStep) throw new Error('empty workflow');
        return newApplication(candidate, requisitionId, firstStep.id, clock.nowMs(), effectiveAt(input));
      });
      return { candidateId: candidate.id, applicationIds };
    },
    addApplication(candidateId: string, requisitionId: string, stepId = workflow[0]?.id ?? 'STEP-REVIEW') {
      const candidate = candidatesById.get(candidateId);
      if (!candidate) throw new Error(`no candidate ${candidateId}`);
      return newApplication(candidate, requisitionId, stepId, clock.nowMs());
    },
    /** A move made in Workday; `effectiveAt` in the future makes it a future-dated change. */
    moveApplication(
      applicationId: string,
      stepId: string,
      options?: { effectiveAt?: Date | number; type?: string },
    ) {
      const candidate = candidateOfApplication(applicationId);
      const t = txn(
        options?.type ?? 'Move Candidate',
        { type: 'Job_Application_ID', id: applicationId },
        { kind: 'application.move', applicationId, stepId },
        clock.nowMs(),
        effectiveAt(options),
      );
      candidate.txns.push(t);
      return { seq: t.seq, wid: t.wid };
    },
    dispositionApplication(
      applicationId: string,
      dispositionId = 'Not_Selected',
      dispositionStepId = 'STEP-DISPOSITION',
    ) {
      const candidate = candidateOfApplication(applicationId);
      const t = txn(
        'Move Candidate',
        { type: 'Job_Application_ID', id: applicationId },
        { kind: 'application.disposition', applicationId, dispositionStepId, dispositionId },
        clock.nowMs(),
        clock.nowMs(),
      );
      candidate.txns.push(t);
      return { seq: t.seq, wid: t.wid };
    },
    editCandidate(
      candidateId: string,
      fields: { firstName?: string; lastName?: string; email?: string; phone?: string },
      options?: { effectiveAt?: Date | number },
    ) {
      const candidate = candidatesById.get(candidateId);
      if (!candidate) throw new Error(`no candidate ${candidateId}`);
      const t = txn(
        'Edit Candidate',
        { type: 'Candidate_ID', id: candidateId },
        { kind: 'candidate.edit', ...fields },
        clock.nowMs(),
        effectiveAt(options),
      );
      candidate.txns.push(t);
      return t.seq;
    },
    /** Rescinds the application's creation: the application disappears; the log keeps both flagged entries. */
    rescindApplication(applicationId: string) {
      const candidate = candidateOfApplication(applicationId);
      const created = candidate.txns.find(
        (t) => t.patch?.kind === 'application.create' && t.target.id === applicationId,
      );
      if (!created) throw new Error(`no creation of ${applicationId}`);
      candidate.txns.push(
        txn(
          'Rescind',
          { type: 'Job_Application_ID', id: applicationId },
          null,
          clock.nowMs(),
          clock.nowMs(),
          { rescinds: created.seq },
        ),
      );
    },
    /** Rescinds the candidate's creation: the candidate (and its applications) disappear. */
    rescindCandidate(candidateId: string) {
      const candidate = candidatesById.get(candidateId);
      if (!candidate) throw new Error(`no candidate ${candidateId}`);
      const created = candidate.txns.find((t) => t.patch?.kind === 'candidate.create');
      if (!created) throw new Error(`no creation of ${candidateId}`);
      candidate.txns.push(
        txn('Rescind', { type: 'Candidate_ID', id: candidateId }, null, clock.nowMs(), clock.nowMs(), {
          rescinds: created.seq,
        }),
      );
    },
    /** Corrects the candidate's creation in place (a correction transaction superseding the original). */
    correctCandidate(
      candidateId: string,
      fields: { firstName?: string; lastName?: string; email?: string; phone?: string },
    ) {
      const candidate = candidatesById.get(candidateId);
      if (!candidate) throw new Error(`no candidate ${candidateId}`);
      const created = [...candidate.txns].reverse().find((t) => t.patch?.kind === 'candidate.create');
      if (created?.patch?.kind !== 'candidate.create') throw new Error(`no creation of ${candidateId}`);
      candidate.txns.push(
        txn(
          'Correction',
          { type: 'Candidate_ID', id: candidateId },
          { ...created.patch, ...fields },
          clock.nowMs(),
          created.effectiveMs,
          {
            corrects: created.seq,
          },
        ),
      );
    },
    setRequisitionStatus(requisitionId: string, status: RequisitionStatus) {
      const requisition = requisitionsById.get(requisitionId);
      if (!requisition) throw new Error(`no requisition ${requisitionId}`);
      requisition.txns.push(
        txn(
          'Edit Job Requisition',
          { type: 'Job_Requisition_ID', id: requisitionId },
          { kind: 'requisition.status', status },
          clock.nowMs(),
          clock.nowMs(),
        ),
      );
    },
  };
}

export type WorkdayState = ReturnType<typeof createWorkdayState>;
