/**
 * The shapes of the public API's answers the console reads (docs/api.md). Written out here rather than imported
 * from shared/api: the browser bundle must not pull in zod schemas or server code.
 */
export type Health = 'healthy' | 'degraded' | 'unhealthy';
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'partial' | 'failed';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Integration {
  id: string;
  provider: string;
  enabled: boolean;
  health: Health;
  healthDetail: Record<string, unknown>;
  webhookUrl: string | null;
  lastRuns: { id: string; status: RunStatus; completedAt: string | null }[];
}

export interface SyncRun {
  id: string;
  integrationId: string;
  provider: string;
  mode: 'full' | 'incremental';
  status: RunStatus;
  requestedBy: string;
  recordsProcessed: number;
  recordsCreated: number;
  recordsUpdated: number;
  recordsDeleted: number;
  recordsFailed: number;
  pagesFetched: number;
  rateLimitWaits: number;
  rateLimitWaitMs: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
}

export interface ImportEntry {
  id: string;
  objectType: string;
  remoteId: string | null;
  action: string;
  message: string | null;
  createdAt: string;
}

export interface WebhookDelivery {
  id: string;
  integrationId: string;
  provider: string;
  deliveryId: string;
  eventType: string | null;
  verification: 'verified';
  status: 'received' | 'applied' | 'ignored' | 'failed';
  changes: { kind: string; objectType: string | null; remoteId: string | null; detail: string | null }[];
  receivedAt: string;
  appliedAt: string | null;
}

export interface PushEntry {
  id: string;
  kind: 'status' | 'submission' | 'note' | 'tags';
  integrationId: string;
  applicationId: string | null;
  candidateId: string | null;
  status: 'pending' | 'succeeded' | 'refused' | 'failed' | 'skipped';
  attempts: number;
  lastError: string | null;
  retryable: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface NotificationDelivery {
  id: string;
  subscriptionId: string;
  subscriptionKind: 'webhook' | 'slack' | 'teams';
  messageId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  createdAt: string;
}

export interface Job {
  id: string;
  title: string;
  status: string;
}

export interface FunnelStage {
  name: string;
  order: number;
  current: number;
  reached: number;
  conversionToNext: number | null;
  medianHoursInStage: number | null;
}

export interface Funnel {
  totals: { applications: number; active: number; hired: number; rejected: number; withdrawn: number };
  stages: FunnelStage[];
  interviews: { scheduled: number; completed: number; applicationsInterviewed: number };
  offers: { sent: number; accepted: number; acceptanceRate: number | null };
}

export interface ApiErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
  requestId: string;
}
