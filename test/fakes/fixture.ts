/**
 * What each provider's fake hands the provider contract suite (test/integration/sync/contract): how to start it
 * with N records, what a complete pass must leave in the hub, how to change, delete and break things at the
 * provider, and what it was asked to write. A new provider's fake exports one of these and adds a line to
 * test/fakes/index.ts; the contract scenarios then run against it unchanged.
 */

import type { RecordObjectType } from '../../shared/domain/canonical.js';
import type { ProviderModule } from '../../shared/ports/provider.js';
import type { ProviderName } from '../../shared/providers/registry.js';
import type { SyncOptions } from '../../shared/sync/options.js';
import type { TestDatabase } from '../support/db.js';
import type { ControllableClock } from './common/controllable-clock.js';
import type { Fault, RecordedRequest } from './common/loopback-server.js';

export interface LiveCounts {
  jobs: number;
  candidates: number;
  applications: number;
}

/**
 * What a complete full pass must store; `duplicates` are further ACTIVE remote applications of one candidate × job
 * pair, which the hub refuses (it keeps every closed application, and one open one per pair).
 */
export interface Expected {
  counts: LiveCounts;
  duplicates: number;
}

export interface FakeSize {
  /** Candidates (applications for BambooHR, contacts for Lever): the fake's main volume. */
  records: number;
  jobs?: number;
  pageSize?: number;
  /** The fake's rate limiter on (at its documented or chosen figures) or off; default: the fake's own default. */
  throttled?: boolean;
  seed?: number;
}

/** The part of a sync world a fixture may reach into. */
export interface FixtureWorld {
  db: TestDatabase;
  integrationId: string;
}

/** One application the hub can push a move for: where it is at the provider and what a move writes. */
export interface PushCase {
  remoteId: string;
  /** The hub stage name to move to, and the provider's id for it. */
  toStage: string;
  targetId: string;
  /** The provider's id of the application's current stage (step, status). */
  stageAtProvider(): string;
  /** A recruiter moves it elsewhere at the provider; returns the id of that stage. */
  moveElsewhere(): string;
  /** Write calls the provider received for this application (move or status change). */
  writes(): number;
}

/** A step of a portal submission's write-back: the create the fake can lose the response of. */
export type WriteBackStep = 'candidate' | 'application' | 'attachment';

/**
 * What a running fake offers the write-back contract suite (test/integration/write-back/contract): the records it
 * holds per email, so exactly-once can be counted, and the faults a write-back must survive.
 */
export interface WriteBackFake {
  /** Remote ids of jobs of the synced world that take submissions (open, with stages). */
  openJobRemoteIds(): string[];
  /** What the provider holds for this email (case-insensitive): every create, never deduplicated by the fake. */
  remoteCounts(email: string): { candidates: number; applications: number; attachments: number };
  /** The bytes of every resume attached for this email. */
  attachedFiles(email: string): { fileName: string; content: Buffer }[];
  /** The provider's id of the stage an application is in (the later-move check). */
  stageOf(applicationRemoteId: string): string;
  /** A candidate already at the provider before the submission (the reuse scenario); returns its id. */
  seedCandidate(person: { firstName: string; lastName: string; email: string }): string;
  /** The next create of `step` is applied at the provider, but its response never reaches the hub. */
  loseNextCreate(step: WriteBackStep): void;
  /** The next create of `step` fails the way the provider refuses an acting user without permission. */
  denyNextCreate(step: WriteBackStep): void;
  /** Settings the integration needs for write-back against this fake (acting user, source). */
  writeBackSettings: Record<string, unknown>;
}

/**
 * A job as the provider reports it, in the hub's terms (the job-fields contract). A field the provider's API does
 * not report is left out: the hub keeps its own value there.
 */
export interface JobFacts {
  status: 'draft' | 'open' | 'paused' | 'closed';
  description?: string | null;
  department?: string | null;
  office?: string | null;
  remotePolicy?: 'remote' | 'hybrid' | 'onsite' | null;
  salaryRange?: { min: number; max: number; currency: string } | null;
}

export interface JobFakeHooks {
  /** Every job the fake serves to a full pass, by remote id. */
  facts(): Map<string, JobFacts>;
  /** A recruiter closes an open job at the provider (the next sync must close it); returns its remote id. */
  closeJob(): string;
}

/**
 * The record objects a fake serves, as the provider's canonical mapping must read them (the record-objects contract,
 * test/integration/providers/contract/record-objects.test.ts). Written from the fake's own state, independently of
 * shared/providers.
 */
export interface RecordFacts {
  /**
   * Every record a full pass of `objectType` yields, by remote id, with the canonical fields that carry its meaning:
   * its parent (application or candidate) and its status, recommendation, visibility or name.
   */
  expected(objectType: RecordObjectType): Map<string, Record<string, unknown>>;
}

/** The facts of a fake whose provider offers no record object. */
export const noRecordObjects: RecordFacts = {
  expected(objectType) {
    throw new Error(`this fake serves no ${objectType}`);
  },
};

export interface RunningFake {
  clock: ControllableClock;
  credentials: Record<string, unknown>;
  settings: Record<string, unknown>;
  requests: RecordedRequest[];
  expected(): Expected;
  /** List requests for the first page of a pass (a resumed pass must not ask for one again). */
  firstPageReads(): number;
  /** Requests the fake's rate limiter refused. */
  limited(): number;
  /** Changes a few records at the provider; returns how many hub rows an incremental pass must rewrite. */
  change(): number;
  /** Deletes records a full pass sees; returns how many hub rows reconciliation must soft-delete. */
  remove(): number;
  /** Deletes records through the provider's delete feed, seen by an incremental pass; returns the rows to delete. */
  removeViaFeed?: () => number;
  /** The next `times` tries of any follow-up list page fail with 503. */
  failFollowUpPages(times: number): void;
  /** Credentials the provider refuses, and the status it refuses them with. */
  refused: { credentials: Record<string, unknown>; status: number };
  /** The next API request fails with `fault` (token calls are let through). */
  failNextRead(fault: Fault): void;
  /** Makes the stored cursor unusable the way this provider loses one; default: unreadable JSON in the database. */
  spoilCursor?: (w: FixtureWorld) => Promise<void>;
  /** Another client of the same account spends the rate window (or the hub is set to push too fast). */
  exhaustWindow(w: FixtureWorld): Promise<void>;
  /** An application of the synced push world, `skip` picking different ones. */
  pushCase(skip: number): PushCase;
  /** Portal submissions created at the provider (test/integration/write-back/contract). */
  writeBack: WriteBackFake;
  /** The richer job fields the fake serves (test/integration/sync/contract/job-fields.test.ts). */
  jobs: JobFakeHooks;
  /** The interviews, scorecards, offers, notes and rejection reasons the fake serves. */
  records: RecordFacts;
  stop(): Promise<void>;
}

export interface ProviderFixture {
  name: ProviderName;
  module: ProviderModule;
  /** The one large import of the suite (10,000 records) and the world the push scenarios sync first. */
  sizes: { large: FakeSize; push: FakeSize };
  /** The fake's rate window and the status it refuses with. */
  window: { ms: number; status: number };
  /** Write calls a push refused for a stale guard makes: 0 where the client checks first, 1 where the provider guards. */
  staleWrites: number;
  /** The fake's running world implements `removeViaFeed`. */
  reportsDeletions?: boolean;
  options?: Partial<SyncOptions>;
  /** Options of the rate-limit scenarios, where the fake's own refill pace needs a slower retry. */
  paceOptions?: Partial<SyncOptions>;
  start(size: FakeSize): Promise<RunningFake>;
}

export const HOUR = 3_600_000;

/** Request counting shared by the fixtures. */
export const countWhere = (requests: RecordedRequest[], match: (r: RecordedRequest) => boolean) =>
  requests.filter(match).length;

/** Applications as the hub keeps them: every one, but one active per candidate × job (the others are failures). */
export function applicationHistory(applications: readonly { pair: string; active: boolean }[]): {
  applications: number;
  duplicates: number;
} {
  const open = new Set<string>();
  let duplicates = 0;
  for (const a of applications) {
    if (!a.active) continue;
    if (open.has(a.pair)) duplicates += 1;
    else open.add(a.pair);
  }
  return { applications: applications.length - duplicates, duplicates };
}

/** The counts of a fake whose every application is its own candidate × job pair. */
export const distinctCounts = (jobs: number, candidates: number, applications: number): Expected => ({
  counts: { jobs, candidates, applications },
  duplicates: 0,
});
