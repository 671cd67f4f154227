/**
 * The hiring pipeline and its stage-ownership rules (docs/architecture.md, "Stage ownership"). Pure: no I/O.
 *
 * Portal stages: Screening → Shortlist → Client Endorsement. Client Endorsement is the handoff: the portal
 * moves an application into it, the ATS side (the recruiting team and the systems of record) takes it from
 * there through the custom stages, Offer and Offer Accepted.
 */

export type StageKind =
  | 'screening'
  | 'shortlist'
  | 'client_endorsement'
  | 'custom'
  | 'offer'
  | 'offer_accepted';
export type StageOwner = 'portal' | 'ats';
export type ApplicationStatus = 'active' | 'rejected' | 'withdrawn' | 'hired';
/** Who asks for a change. `provider` is a system of record speaking for the ATS side. */
export type Actor = 'portal' | 'ats' | 'admin' | 'provider';

export interface StageDefinition {
  name: string;
  position: number;
  kind: StageKind;
  owner: StageOwner;
  fixed: boolean;
}

export interface StageRef {
  id: string;
  name: string;
  position: number;
  kind: StageKind;
}

export const FIXED_STAGE_NAMES = {
  screening: 'Screening',
  shortlist: 'Shortlist',
  client_endorsement: 'Client Endorsement',
  offer: 'Offer',
  offer_accepted: 'Offer Accepted',
} as const;

const PORTAL_KINDS: ReadonlySet<StageKind> = new Set(['screening', 'shortlist', 'client_endorsement']);
const ATS_KINDS: ReadonlySet<StageKind> = new Set([
  'client_endorsement',
  'custom',
  'offer',
  'offer_accepted',
]);

export function ownerOf(kind: StageKind): StageOwner {
  return kind === 'screening' || kind === 'shortlist' || kind === 'client_endorsement' ? 'portal' : 'ats';
}

/** Screening, Shortlist, Client Endorsement, the custom stages in order, Offer, Offer Accepted. */
export function buildJobStages(customStages: readonly string[] = []): StageDefinition[] {
  const kinds: { name: string; kind: StageKind }[] = [
    { name: FIXED_STAGE_NAMES.screening, kind: 'screening' },
    { name: FIXED_STAGE_NAMES.shortlist, kind: 'shortlist' },
    { name: FIXED_STAGE_NAMES.client_endorsement, kind: 'client_endorsement' },
    ...customStages.map((name) => ({ name: name.trim(), kind: 'custom' as const })),
    { name: FIXED_STAGE_NAMES.offer, kind: 'offer' },
    { name: FIXED_STAGE_NAMES.offer_accepted, kind: 'offer_accepted' },
  ];
  return kinds.map((s, position) => ({ ...s, position, owner: ownerOf(s.kind), fixed: s.kind !== 'custom' }));
}

/** Custom stage names must be unique (case-insensitive) and must not repeat a fixed stage's name. */
export function customStageProblems(customStages: readonly string[]): string[] {
  const seen = new Set<string>(Object.values(FIXED_STAGE_NAMES).map((n) => n.toLowerCase()));
  const problems: string[] = [];
  customStages.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (seen.has(name)) problems.push(`customStages.${i}: duplicate stage name "${raw.trim()}"`);
    seen.add(name);
  });
  return problems;
}

export type RuleViolation = 'STAGE_NOT_OWNED' | 'INVALID_TRANSITION';

export type Decision<T> = { ok: true; value: T } | { ok: false; code: RuleViolation; reason: string };

const deny = (code: RuleViolation, reason: string): { ok: false; code: RuleViolation; reason: string } => ({
  ok: false,
  code,
  reason,
});

export interface StageMoveOutcome {
  to: StageRef;
  status: ApplicationStatus;
}

/**
 * Decides a stage move. The portal advances exactly one step at a time within its stages and never
 * touches an application past Client Endorsement. The ATS side acts from Client Endorsement on, forward or
 * backward, never into Screening or Shortlist. Closed applications never move. Offer Accepted means hired.
 */
export function decideStageMove(
  actor: Actor,
  current: { stage: StageRef; status: ApplicationStatus },
  target: StageRef,
): Decision<StageMoveOutcome> {
  if (current.status !== 'active') return deny('INVALID_TRANSITION', `application is ${current.status}`);
  if (target.id === current.stage.id)
    return deny('INVALID_TRANSITION', 'application is already in that stage');
  if (actor === 'portal') {
    if (!PORTAL_KINDS.has(current.stage.kind) || current.stage.kind === 'client_endorsement') {
      return current.stage.kind === 'client_endorsement' && PORTAL_KINDS.has(target.kind)
        ? deny('INVALID_TRANSITION', 'the portal never moves an application backward')
        : deny('STAGE_NOT_OWNED', 'the application is past the portal stages');
    }
    if (!PORTAL_KINDS.has(target.kind)) return deny('STAGE_NOT_OWNED', `${target.name} belongs to the ATS`);
    if (target.position !== current.stage.position + 1) {
      return deny(
        'INVALID_TRANSITION',
        target.position < current.stage.position
          ? 'the portal never moves an application backward'
          : 'the portal advances one stage at a time',
      );
    }
    return { ok: true, value: { to: target, status: 'active' } };
  }
  if (!ATS_KINDS.has(current.stage.kind)) {
    return deny('STAGE_NOT_OWNED', `${current.stage.name} belongs to the portal`);
  }
  if (!ATS_KINDS.has(target.kind)) return deny('STAGE_NOT_OWNED', `${target.name} belongs to the portal`);
  return { ok: true, value: { to: target, status: target.kind === 'offer_accepted' ? 'hired' : 'active' } };
}

export type StatusChange = 'rejected' | 'withdrawn';

/** Rejection and withdrawal belong to the ATS side, at any stage, and only while the application is active. */
export function decideStatusChange(
  actor: Actor,
  current: { status: ApplicationStatus },
  to: StatusChange,
): Decision<StatusChange> {
  if (actor === 'portal') return deny('STAGE_NOT_OWNED', 'the portal never changes an application status');
  if (current.status !== 'active') return deny('INVALID_TRANSITION', `application is ${current.status}`);
  return { ok: true, value: to };
}

/** Out-of-order guard: a provider event applies only when it is newer than the state it would replace. */
export function isNewerSourceEvent(incoming: Date, lastApplied: Date | null | undefined): boolean {
  return !lastApplied || incoming.getTime() > lastApplied.getTime();
}

/** Resolves `toStage` given as a stage id or a stage name (case-insensitive) of the job. */
export function findStage<T extends { id: string; name: string }>(
  stages: readonly T[],
  ref: string,
): T | undefined {
  const lowered = ref.trim().toLowerCase();
  return stages.find((s) => s.id === ref) ?? stages.find((s) => s.name.toLowerCase() === lowered);
}
