/**
 * The write-back of one portal submission to its job's provider (docs/write-back.md): candidate, application on
 * the remote job, and the resume once its scan says clean, each created exactly once.
 *
 * No provider offers an idempotency key, so exactly-once rests on three rules:
 * - one attempt at a time: a lease on the push row, and every write after it fenced by the lease token;
 * - each step's remote id is stored in its own transaction as soon as the provider answers;
 * - a step without a stored id looks the provider up first (by email, by candidate × job, by file name) and adopts
 *   what it finds; only an empty lookup creates, and a create is never retried blind (`callOnce`).
 * A lost response or a crash between steps therefore ends, on the next delivery, in an adoption, not a duplicate.
 */
import { randomUUID } from 'node:crypto';
import {
  ensurePushRow,
  finishPushAttempt,
  leasePush,
  loadPushContext,
  type PushContext,
  type PushOutcome,
  type PushRow,
  type PushStep,
  recordPushStep,
  releasePushLease,
} from '../db/repositories/submission-pushes.js';
import { localIdOf } from '../db/repositories/sync-webhooks.js';
import { withTenant } from '../db/tenant.js';
import { logger } from '../observability/logger.js';
import {
  ProviderError,
  type SubmissionAttribution,
  type SubmissionFile,
  type SubmissionWriter,
} from '../ports/provider.js';
import type { SyncDependencies } from './dependencies.js';
import { BreakerOpenError, IntegrationSetupError, RetryLaterError } from './errors.js';
import { ProviderSession } from './provider-session.js';

export type SubmissionPushResult =
  | 'pushed'
  /** Candidate and application exist; the resume waits for its scan. */
  | 'pending'
  /** Nothing was created: the provider takes the resume only with the create, and the scan is not done. */
  | 'waiting'
  | 'failed'
  | 'not_applicable';

const LEASE_MS = 2 * 60_000;
const BUSY_WAITS = 10;
const BUSY_WAIT_MS = 500;
const WAITING_SCANS = new Set(['pending_upload', 'uploaded']);

type Target = NonNullable<PushContext['target']>;

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;

/** Whether the application is one the hub writes back, and to which integration. */
export function pushTargetOf(context: PushContext): Target | null {
  const target = context.target;
  if (context.source !== 'portal' || context.deleted || !target || !target.enabled) return null;
  return target.settings['pushSubmissions'] === false ? null : target;
}

function attributionOf(target: Target): SubmissionAttribution {
  return { actingUserId: text(target.settings['actingUserId']), sourceId: text(target.settings['sourceId']) };
}

/** What a failed call means for the push: retry on the next delivery, or stop with the provider's word. */
function classify(error: unknown): { retry: boolean; code: string; message: string } {
  if (error instanceof BreakerOpenError) return { retry: true, code: 'breaker_open', message: error.message };
  if (error instanceof ProviderError) {
    const retry = error.kind === 'transient' || error.kind === 'rate_limited';
    return { retry, code: error.kind, message: error.message };
  }
  if (error instanceof IntegrationSetupError) return { retry: false, code: 'setup', message: error.message };
  throw error;
}

class Attempt {
  readonly steps: PushStep[] = [];

  constructor(
    private readonly deps: SyncDependencies,
    readonly context: PushContext,
    readonly target: Target,
    readonly row: PushRow,
    private readonly token: string,
  ) {}

  /** Stores a step's remote ids at once, under the lease. */
  async record(steps: PushStep[]): Promise<void> {
    await withTenant(this.deps.sql, this.target.organization_id, 'worker', (tx) =>
      recordPushStep(tx, {
        applicationId: this.context.applicationId,
        integrationId: this.target.id,
        token: this.token,
        now: this.deps.clock.now(),
        steps,
      }),
    );
    this.steps.push(...steps);
  }

  /** Whether the hub already links this remote object to another local row (an earlier one, not this push's). */
  async linkedElsewhere(objectType: 'application', remoteId: string, localId: string): Promise<boolean> {
    const linked = await withTenant(this.deps.sql, this.target.organization_id, 'worker', (tx) =>
      localIdOf(tx, this.target.id, objectType, remoteId),
    );
    return linked !== undefined && linked !== localId;
  }

  finish(outcome: PushOutcome): Promise<void> {
    return withTenant(this.deps.sql, this.target.organization_id, 'worker', (tx) =>
      finishPushAttempt(tx, {
        applicationId: this.context.applicationId,
        token: this.token,
        now: this.deps.clock.now(),
        outcome,
      }),
    );
  }

  release(): Promise<void> {
    return withTenant(this.deps.sql, this.target.organization_id, 'worker', (tx) =>
      releasePushLease(tx, {
        applicationId: this.context.applicationId,
        token: this.token,
        now: this.deps.clock.now(),
      }),
    );
  }

  remote(step: PushStep['step']): string | null {
    const recorded = this.steps.find((s) => s.step === step)?.remoteId;
    return recorded ?? this.row[`${step}_remote_id`];
  }

  eventTarget() {
    return {
      applicationId: this.context.applicationId,
      jobId: this.context.jobId,
      integrationId: this.target.id,
      provider: this.target.provider,
    };
  }
}

async function resumeFile(deps: SyncDependencies, context: PushContext): Promise<SubmissionFile | null> {
  const document = context.document;
  if (document?.scanStatus !== 'clean') return null;
  const stored = await deps.objectStore.get(document.s3Key);
  if (!stored) {
    logger.warn('clean resume missing from the object store; pushed without it', { documentId: document.id });
    return null;
  }
  return { fileName: document.fileName, contentType: document.contentType, content: stored.body };
}

/** Candidate and application: adopt what the provider has, create only what it lacks. */
async function ensureCandidateAndApplication(
  attempt: Attempt,
  session: ProviderSession,
  writer: SubmissionWriter,
  inlineResume: SubmissionFile | null,
): Promise<void> {
  const { context, target } = attempt;
  const person = context.person;
  const attribution = attributionOf(target);
  const jobRemoteId = target.jobRemoteId;
  const documentId = context.document?.id ?? null;
  const inlineAttachment = (remoteId: string | null): PushStep[] =>
    remoteId && documentId ? [{ step: 'attachment', remoteId, localId: documentId }] : [];

  let candidateRemoteId = attempt.remote('candidate');
  if (!candidateRemoteId) {
    const found = await session.call(() => writer.findCandidate({ email: person.email, jobRemoteId }));
    if (found) {
      await attempt.record([{ step: 'candidate', remoteId: found, localId: context.candidateId }]);
    } else {
      const created = await session.callOnce(() =>
        writer.createCandidate({ person, jobRemoteId, resume: inlineResume, attribution }),
      );
      await attempt.record([
        { step: 'candidate', remoteId: created.candidateRemoteId, localId: context.candidateId },
        ...(created.applicationRemoteId
          ? [
              {
                step: 'application' as const,
                remoteId: created.applicationRemoteId,
                localId: context.applicationId,
              },
            ]
          : []),
        ...inlineAttachment(created.attachmentRemoteId),
      ]);
    }
    candidateRemoteId = attempt.remote('candidate')!;
  }
  if (attempt.remote('application')) return;
  const existing = await session.call(() =>
    writer.findApplication({ candidateRemoteId, jobRemoteId, email: person.email }),
  );
  // a remote application the hub holds for another of its applications is an earlier one of this candidate to
  // this job (closed: the hub keeps one active per pair), which a re-application follows: not this submission's
  if (existing && !(await attempt.linkedElsewhere('application', existing, context.applicationId))) {
    await attempt.record([{ step: 'application', remoteId: existing, localId: context.applicationId }]);
    return;
  }
  const created = await session.callOnce(() =>
    writer.createApplication({ candidateRemoteId, person, jobRemoteId, resume: inlineResume, attribution }),
  );
  await attempt.record([
    { step: 'application', remoteId: created.applicationRemoteId, localId: context.applicationId },
    ...inlineAttachment(created.attachmentRemoteId),
  ]);
}

/** The resume, once clean, when the provider attaches files separately; looked up by name (and size) first. */
async function ensureAttachment(
  deps: SyncDependencies,
  attempt: Attempt,
  session: ProviderSession,
  writer: SubmissionWriter,
): Promise<void> {
  const document = attempt.context.document;
  if (!document || attempt.remote('attachment')) return;
  const file = await resumeFile(deps, attempt.context);
  if (!file) return;
  const candidateRemoteId = attempt.remote('candidate')!;
  const applicationRemoteId = attempt.remote('application')!;
  const found = await session.call(() =>
    writer.findAttachment({
      candidateRemoteId,
      applicationRemoteId,
      fileName: document.fileName,
      sizeBytes: file.content.length,
    }),
  );
  const remoteId =
    found ??
    (await session.callOnce(() =>
      writer.attachResume({
        candidateRemoteId,
        applicationRemoteId,
        file,
        attribution: attributionOf(attempt.target),
      }),
    ));
  await attempt.record([{ step: 'attachment', remoteId, localId: document.id }]);
}

async function runSteps(deps: SyncDependencies, attempt: Attempt): Promise<SubmissionPushResult> {
  const session = await ProviderSession.open(deps, attempt.target);
  const writer = session.client.submissions;
  if (!writer) throw new IntegrationSetupError(`${attempt.target.provider} does not take submissions`);
  const document = attempt.context.document;
  const scanPending = document !== null && WAITING_SCANS.has(document.scanStatus);
  if (writer.resumeMode === 'inline' && scanPending && !attempt.remote('candidate')) {
    await attempt.release();
    return 'waiting';
  }
  const inlineResume = writer.resumeMode === 'inline' ? await resumeFile(deps, attempt.context) : null;
  await ensureCandidateAndApplication(attempt, session, writer, inlineResume);
  if (writer.resumeMode === 'separate') await ensureAttachment(deps, attempt, session, writer);
  if (scanPending && writer.resumeMode === 'separate') {
    await attempt.finish({ state: 'pending', error: null, event: null });
    return 'pending';
  }
  await attempt.finish({
    state: 'pushed',
    error: null,
    event: {
      type: 'application.pushed',
      payload: {
        ...attempt.eventTarget(),
        candidateRemoteId: attempt.remote('candidate'),
        applicationRemoteId: attempt.remote('application'),
        attachmentRemoteId: attempt.remote('attachment'),
      },
    },
  });
  return 'pushed';
}

/** Loads the push and takes its lease; `busy` while another attempt holds it. */
function takeLease(
  deps: SyncDependencies,
  input: { organizationId: string; applicationId: string },
  token: string,
) {
  return withTenant(deps.sql, input.organizationId, 'worker', async (tx) => {
    const context = await loadPushContext(tx, input.applicationId);
    const target = context ? pushTargetOf(context) : null;
    if (!context || !target) return { kind: 'not_applicable' as const };
    const now = deps.clock.now();
    const existing = await ensurePushRow(tx, {
      applicationId: context.applicationId,
      integrationId: target.id,
      now,
    });
    if (existing.state !== 'pending') return { kind: 'final' as const, state: existing.state };
    const row = await leasePush(tx, {
      applicationId: context.applicationId,
      token,
      now,
      until: new Date(now.getTime() + LEASE_MS),
    });
    return row ? { kind: 'leased' as const, context, target, row } : { kind: 'busy' as const };
  });
}

/**
 * One delivery of a push: load, lease, run the missing steps. A retryable failure leaves the push pending and
 * throws RetryLaterError (SQS redelivers, with the queue's backoff); a refusal, or the last attempt of the budget,
 * records `failed` with the provider's message and emits `application.push_failed`.
 */
export async function pushSubmission(
  deps: SyncDependencies,
  input: { organizationId: string; applicationId: string },
): Promise<SubmissionPushResult> {
  const token = randomUUID();
  let leased = await takeLease(deps, input, token);
  // the messages of one submission often come together (created, then scanned a moment later): a short wait
  // for the running attempt beats a redelivery after the queue's visibility timeout
  for (let wait = 0; leased.kind === 'busy' && wait < BUSY_WAITS; wait++) {
    await deps.sleep(BUSY_WAIT_MS);
    leased = await takeLease(deps, input, token);
  }
  if (leased.kind === 'not_applicable') return 'not_applicable';
  if (leased.kind === 'final') return leased.state;
  if (leased.kind === 'busy') throw new RetryLaterError('another attempt of this push is running');

  const attempt = new Attempt(deps, leased.context, leased.target, leased.row, token);
  try {
    return await runSteps(deps, attempt);
  } catch (error) {
    const failure = classify(error);
    const final = !failure.retry || leased.row.attempts >= deps.options.pushMaxAttempts;
    logger.warn('submission push attempt failed', {
      applicationId: input.applicationId,
      provider: leased.target.provider,
      code: failure.code,
      attempt: leased.row.attempts,
      final,
    });
    await attempt.finish({
      state: final ? 'failed' : 'pending',
      error: { code: failure.code, message: failure.message },
      event: final
        ? {
            type: 'application.push_failed',
            payload: {
              ...attempt.eventTarget(),
              attempts: leased.row.attempts,
              code: failure.code,
              message: failure.message.slice(0, 500),
            },
          }
        : null,
    });
    if (final) return 'failed';
    throw new RetryLaterError(`submission push pending: ${failure.code}`);
  }
}
