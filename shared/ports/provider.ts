/**
 * What the sync engine, webhook intake and status push need from a system of record. One implementation
 * per provider in shared/providers/<provider>/; shared/providers/registry.ts lists them.
 */
import type {
  CanonicalApplication,
  CanonicalCandidate,
  CanonicalInterview,
  CanonicalJob,
  CanonicalNote,
  CanonicalOffer,
  CanonicalRecordObject,
  CanonicalRejectionReason,
  CanonicalScorecard,
  CanonicalWebhookEvent,
  RecordObjectType,
  SyncObjectType,
} from '../domain/canonical.js';
import type { Clock } from './clock.js';

export interface ProviderCapabilities {
  /** What a sync pulls, in order (docs/ats-record.md lists which provider lacks which object and why). */
  objects: SyncObjectType[];
  incremental: boolean;
  /** Provider-side delete feed (deleted-records endpoint or transaction log). */
  deletedRecords: boolean;
  webhooks: boolean;
  moveStage: boolean;
  reject: boolean;
  hire: boolean;
  /** Accepts funnel metrics from the analytics export. */
  analyticsPush: boolean;
  maxPageSize: number;
}

export interface ProviderSettings {
  /** Overrides the provider's default API endpoint (regions, sandboxes, fakes). */
  baseUrl?: string;
  /** Overrides the OAuth token endpoint. */
  authUrl?: string;
  [key: string]: unknown;
}

/** Rate-limit facts read from a response, fed to the per-integration limiter. */
export interface RateLimitObservation {
  limit?: number;
  remaining?: number;
  /** Absolute time at which the window resets. */
  resetAt?: Date;
  /** From Retry-After on 429/503. */
  retryAfterSeconds?: number;
}

export interface ProviderContext {
  /** The integration this client serves: keys caches that outlive one message (Lever's access token). */
  integrationId?: string;
  credentials: Record<string, unknown>;
  settings: ProviderSettings;
  clock: Clock;
  /** Injected so tests and the limiter see every request; defaults to global fetch. */
  fetch?: typeof fetch;
  /** Called with the rate-limit headers of every response. */
  onRateLimit?: (observation: RateLimitObservation) => void;
  /** Awaited before every request; the sync engine's shared per-integration limiter. */
  beforeRequest?: () => Promise<void>;
}

/** Opaque, JSON-serialisable position of an incremental sync (timestamp, sync token, transaction-log time). */
export type SyncCursor = Record<string, unknown>;

export interface ListPageRequest {
  mode: 'full' | 'incremental';
  /** Cursor stored after the previous complete sync; null for a full sync. */
  cursor: SyncCursor | null;
  /** Provider-specific token of the next page within the current pass; null for the first page. */
  pageToken: string | null;
  pageSize?: number;
}

interface CanonicalByType {
  job: CanonicalJob;
  candidate: CanonicalCandidate;
  application: CanonicalApplication;
  rejection_reason: CanonicalRejectionReason;
  interview: CanonicalInterview;
  scorecard: CanonicalScorecard;
  offer: CanonicalOffer;
  note: CanonicalNote;
}

export type CanonicalOf<T extends SyncObjectType> = CanonicalByType[T];

export interface ListPage<T extends SyncObjectType = SyncObjectType> {
  records: CanonicalOf<T>[];
  /** Raw provider payloads of the page, kept in S3 next to the normalised rows. */
  raw: unknown[];
  /** Remote ids the provider reported deleted within this page (delete feeds, transaction log). */
  deletedRemoteIds: string[];
  /** Token for the next page of this pass, or null when this was the last page. */
  nextPageToken: string | null;
  /** Cursor to store once the pass is complete (present on the last page). */
  nextCursor: SyncCursor | null;
}

/** Raised by clients for responses the engine must react to. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly kind:
      | 'rate_limited'
      | 'transient'
      | 'auth'
      | 'cursor_expired'
      | 'sync_token_invalid'
      | 'refused'
      | 'not_found'
      | 'permanent',
    readonly status?: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

export interface StageWrite {
  applicationRemoteId: string;
  jobRemoteId: string | null;
  /** The stage the hub believes is current at the provider: Greenhouse's from_stage_id guard. */
  fromStageRemoteId: string | null;
  toStageRemoteId: string;
  /** Provider user acting (Greenhouse On-Behalf-Of / sub). */
  actorRemoteId?: string;
  /** The application's candidate at the provider: Workday reads the application back through it. */
  candidateRemoteId?: string | null;
}

export interface RejectWrite {
  applicationRemoteId: string;
  reasonRemoteId: string | null;
  note: string | null;
  withdrawn: boolean;
}

export type WriteResult =
  | { ok: true; detail?: Record<string, unknown> }
  /**
   * The provider refused (stale guard, closed application): recorded and surfaced, never retried. A read-first
   * guard reports the stage it found: a retried move that finds the target already reached is a success.
   */
  | { ok: false; kind: 'refused'; message: string; status?: number; currentStageRemoteId?: string | null }
  | { ok: false; kind: 'unsupported'; message: string };

/** The person a portal submission names: what the provider's candidate is created with. */
export interface SubmissionPerson {
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
}

/** A clean resume, with its bytes, for the providers that take it. */
export interface SubmissionFile {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** Who the provider records as acting, and what it credits (integration settings `actingUserId`, `sourceId`). */
export interface SubmissionAttribution {
  actingUserId: string | null;
  sourceId: string | null;
}

export interface CreatedCandidate {
  candidateRemoteId: string;
  /** Present where the provider creates the application in the same call (Greenhouse, Lever, BambooHR, Workday). */
  applicationRemoteId: string | null;
  /** Present where the resume went inline with the create (BambooHR, Workday). */
  attachmentRemoteId: string | null;
}

/**
 * Write-back of a portal submission (docs/write-back.md): lookups and creates, one provider call each where the
 * provider allows. No provider offers an idempotency key, so the hub calls a `find*` before every `create*`/`attach*`
 * on a retry and adopts what it finds; a create is never retried blind. Each method throws ProviderError: `refused`
 * (permission, validation) is final, `transient`/`rate_limited` are retried by the caller after the lookup.
 */
export interface SubmissionWriter {
  /**
   * `inline`: the resume can only go with the create (BambooHR), so the hub waits for the scan before creating;
   * `separate`: the resume is attached after the application exists.
   */
  readonly resumeMode: 'inline' | 'separate';
  /** The provider's candidate with this email (case-insensitive), or null. */
  findCandidate(input: { email: string; jobRemoteId: string }): Promise<string | null>;
  /** The candidate's application on this job at the provider, or null. */
  findApplication(input: {
    candidateRemoteId: string;
    jobRemoteId: string;
    email: string;
  }): Promise<string | null>;
  /** A new candidate, with its application on the job where the provider does both in one call. */
  createCandidate(input: {
    person: SubmissionPerson;
    jobRemoteId: string;
    resume: SubmissionFile | null;
    attribution: SubmissionAttribution;
  }): Promise<CreatedCandidate>;
  /** An application of an existing candidate on the job. */
  createApplication(input: {
    candidateRemoteId: string;
    person: SubmissionPerson;
    jobRemoteId: string;
    resume: SubmissionFile | null;
    attribution: SubmissionAttribution;
  }): Promise<{ applicationRemoteId: string; attachmentRemoteId: string | null }>;
  /** The attachment already holding this resume (matched by file name, and size where the provider reports it), or null. */
  findAttachment(input: {
    candidateRemoteId: string;
    applicationRemoteId: string;
    fileName: string;
    sizeBytes: number;
  }): Promise<string | null>;
  attachResume(input: {
    candidateRemoteId: string;
    applicationRemoteId: string;
    file: SubmissionFile;
    attribution: SubmissionAttribution;
  }): Promise<string>;
}

/**
 * Writes of the full ATS record the hub makes for its users (docs/ats-record.md), where the provider's API takes
 * them. Each method throws ProviderError like SubmissionWriter; absent methods mean the provider takes no such write.
 */
export interface RecordWriter {
  /** A note on the candidate (on the application where the provider files notes there); the remote note's id. */
  addNote?(input: {
    candidateRemoteId: string;
    applicationRemoteId: string | null;
    body: string;
    visibility: import('../domain/canonical.js').NoteVisibility;
    actingUserId: string | null;
  }): Promise<string>;
  /** The provider's note on this candidate with exactly this body, or null: the lookup before a retried create. */
  findNote?(input: {
    candidateRemoteId: string;
    applicationRemoteId: string | null;
    body: string;
  }): Promise<string | null>;
  /** Adds and removes tags (by name) on the candidate; both are idempotent at every provider that takes tags. */
  changeTags?(input: {
    candidateRemoteId: string;
    applicationRemoteId: string | null;
    add: string[];
    remove: string[];
    actingUserId: string | null;
  }): Promise<void>;
}

/**
 * Erasure at the provider (docs/privacy.md, "Propagation"). Throws ProviderError like SubmissionWriter; absent where
 * the provider's API offers no anonymize or delete of a candidate.
 */
export interface PrivacyWriter {
  /** Anonymizes the candidate at the provider. An already anonymized or missing candidate is not an error. */
  anonymizeCandidate(input: { candidateRemoteId: string }): Promise<{
    action: 'anonymized' | 'not_found';
    detail?: Record<string, unknown>;
  }>;
}

export interface AnalyticsPushPayload {
  organizationId: string;
  periodFrom: string;
  periodTo: string;
  metrics: unknown;
}

export interface ProviderClient {
  /** The module's name (shared/providers/registry.ts lists the names). */
  readonly provider: string;
  readonly capabilities: ProviderCapabilities;
  listPage<T extends SyncObjectType>(objectType: T, request: ListPageRequest): Promise<ListPage<T>>;
  moveStage(write: StageWrite): Promise<WriteResult>;
  reject(write: RejectWrite): Promise<WriteResult>;
  hire(write: { applicationRemoteId: string; fromStageRemoteId: string | null }): Promise<WriteResult>;
  pushAnalytics?(payload: AnalyticsPushPayload): Promise<WriteResult>;
  /** Creates portal submissions at the provider (absent: the provider takes no submissions). */
  submissions?: SubmissionWriter;
  /** Pushes hub-written notes and tags (absent: the provider takes neither). */
  records?: RecordWriter;
  /**
   * The records of `objectType` under one parent (a Lever opportunity's interviews), read back for a webhook that
   * names them without their content (`record.reread`). Absent: the provider sends no such webhook.
   */
  readRecords?(objectType: RecordObjectType, parentRemoteId: string): Promise<CanonicalRecordObject[]>;
  /** Anonymizes an erased person at the provider (absent: its API offers no such call). */
  privacy?: PrivacyWriter;
}

export interface WebhookRequest {
  /** Exactly the bytes received. */
  rawBody: Buffer;
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  /** Current secret first, then secrets still inside their rotation grace period. */
  secrets: string[];
  now: Date;
}

export type WebhookVerification =
  | {
      ok: true;
      /** Dedupe key: the provider's delivery id, or a hash of the raw body where it has none. */
      deliveryId: string;
      eventType: string;
      sourceTimestamp: Date | null;
      /** Index into `secrets` of the secret that matched. */
      secretIndex: number;
    }
  | { ok: false; reason: 'missing_signature' | 'bad_signature' | 'stale' | 'malformed' };

export interface WebhookVerifier {
  verify(request: WebhookRequest): WebhookVerification;
  /** Canonical meaning of a verified body. */
  parse(rawBody: Buffer): CanonicalWebhookEvent[];
}

/**
 * Per-provider pacing of the sync engine's token bucket (docs/performance.md §6, docs/providers.md §2.4, §3.4): a refill rate
 * just under the published limit and a small burst, so no fixed window of the provider ever sees more than its limit.
 */
export interface ProviderPacing {
  /** Requests that may go out back to back. */
  capacity: number;
  refillPerSecond: number;
  /** The window `X-RateLimit-Limit` counts over, when the provider documents one: the header then tunes the pace. */
  limitWindowSeconds?: number;
}

/** What the sync engine, webhook intake and admin API use of a provider (tests stand in fakes for it). */
export interface ProviderModule<N extends string = string> {
  name: N;
  capabilities: ProviderCapabilities;
  /** zod-validated shapes of the credentials the provider needs. */
  credentialsSchema: import('zod').ZodType<Record<string, unknown>>;
  /** Whether the hub generates the webhook signing secret when none is given (Greenhouse, Ashby). */
  hubGeneratesWebhookSecret: boolean;
  createClient(context: ProviderContext): ProviderClient;
  /** Absent for providers without signed webhooks (Workday). */
  webhookVerifier?: WebhookVerifier;
}

/**
 * Finds a provider's module by name; undefined when the hub has none by that name. Production passes
 * shared/providers/registry.ts's `findProvider`, which imports each adapter on its first use.
 */
export type ProviderLookup = (name: string) => Promise<ProviderModule | undefined>;

/** A lookup over modules already at hand (tests, tools). Only own entries count: no `constructor` or `__proto__`. */
export function lookupIn(modules: Readonly<Partial<Record<string, ProviderModule>>>): ProviderLookup {
  return async (name) => (Object.hasOwn(modules, name) ? modules[name] : undefined);
}

/**
 * Everything about one provider, exported as `provider` by shared/providers/<provider>/index.ts and listed once in
 * shared/providers/registry.ts: the runtime module plus its pacing, settings and pure mappers.
 */
export interface ProviderPlugin<N extends string = string> extends ProviderModule<N> {
  pacing: ProviderPacing;
  /** zod-validated per-integration settings, with the provider's defaults. */
  settingsSchema: import('zod').ZodType<Record<string, unknown>>;
  /** The pure `to-<entity>` mappers into the canonical model (their inputs are the provider's own shapes). */
  mappers: Readonly<Record<string, (...args: never[]) => unknown>>;
}

/** Keeps a plug-in's literal `name`, so shared/providers/registry.ts can derive the provider names from its list. */
export function defineProvider<const P extends ProviderPlugin>(plugin: P): P & ProviderPlugin<P['name']> {
  return plugin;
}
