/** Pure formatting of the console: numbers, durations, instants and the words shown for states. */
import type { Health, PushEntry, RunStatus, SyncRun } from './types.js';

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return integer.format(n);
}

/** A ratio 0..1 as a percentage with at most one decimal; `—` when there is none. */
export function formatPercent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  const pct = Math.round(ratio * 1000) / 10;
  return `${pct}%`;
}

/** Milliseconds as `850 ms`, `12.3 s`, `4 min 05 s` or `2 h 03 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${Math.round(seconds * 10) / 10} s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** An instant relative to `now`: `just now`, `5 s ago`, `3 min ago`, `2 h ago`, else the UTC date and time. */
export function formatAgo(instant: string | null, now: Date): string {
  if (!instant) return '—';
  const t = Date.parse(instant);
  if (Number.isNaN(t)) return '—';
  const seconds = Math.round((now.getTime() - t) / 1000);
  if (seconds < 2) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export type Tone = 'good' | 'busy' | 'warn' | 'bad' | 'neutral';

const TONES: Record<string, Tone> = {
  healthy: 'good',
  succeeded: 'good',
  applied: 'good',
  delivered: 'good',
  verified: 'good',
  running: 'busy',
  queued: 'busy',
  pending: 'busy',
  received: 'busy',
  degraded: 'warn',
  partial: 'warn',
  refused: 'warn',
  skipped: 'neutral',
  ignored: 'neutral',
  unhealthy: 'bad',
  failed: 'bad',
};

/** The colour family of a state word; text always carries the word too (colour is never the only cue). */
export function toneOf(state: string): Tone {
  return TONES[state] ?? 'neutral';
}

export function isActive(status: RunStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** One line of a run's progress, e.g. `1,204 records · 13 pages · 2 rate-limit waits (3.5 s)`. */
export function runProgressLine(
  run: Pick<SyncRun, 'recordsProcessed' | 'pagesFetched' | 'rateLimitWaits' | 'rateLimitWaitMs'>,
): string {
  const parts = [
    `${formatCount(run.recordsProcessed)} records`,
    `${formatCount(run.pagesFetched)} ${run.pagesFetched === 1 ? 'page' : 'pages'}`,
  ];
  const waits = `${formatCount(run.rateLimitWaits)} rate-limit ${run.rateLimitWaits === 1 ? 'wait' : 'waits'}`;
  parts.push(run.rateLimitWaits > 0 ? `${waits} (${formatDuration(run.rateLimitWaitMs)})` : waits);
  return parts.join(' · ');
}

/** How long a run took, or has been running for. */
export function runElapsed(run: Pick<SyncRun, 'startedAt' | 'completedAt'>, now: Date): string {
  if (!run.startedAt) return 'not started';
  const end = run.completedAt ? Date.parse(run.completedAt) : now.getTime();
  return formatDuration(end - Date.parse(run.startedAt));
}

/**
 * The words of an integration's health for its card: the state and, when not healthy, why (the circuit
 * breaker's last failure, set by the sync engine in `healthDetail.breaker`).
 */
export function healthSummary(health: Health, detail: Record<string, unknown>): string {
  if (health === 'healthy') return 'Healthy';
  const word = health === 'degraded' ? 'Degraded' : 'Unhealthy';
  const breaker = detail['breaker'];
  const reason =
    breaker && typeof breaker === 'object' ? (breaker as Record<string, unknown>)['lastFailure'] : undefined;
  return typeof reason === 'string' && reason.length > 0 ? `${word}: ${reason}` : word;
}

/** Provider names as people write them. */
export function providerLabel(provider: string): string {
  const names: Record<string, string> = {
    greenhouse: 'Greenhouse',
    lever: 'Lever',
    ashby: 'Ashby',
    workday: 'Workday',
    bamboohr: 'BambooHR',
  };
  return names[provider] ?? provider;
}

/**
 * The route that retries a push log entry. Its id (`<kind>:<row id>`) goes in as is: a colon is valid in a path
 * segment, and anything else the hub never hands out is encoded.
 */
export function pushRetryPath(id: string): string {
  const segment = /^[a-z]+:[0-9a-f-]+$/.test(id) ? id : encodeURIComponent(id);
  return `/push-log/${segment}/retry`;
}

const pushNames: Record<PushEntry['kind'], string> = {
  status: 'stage or status push',
  submission: 'submission push',
  note: 'note push',
  tags: 'tag push',
};

/** What a push log row's Retry acts on, for the button's accessible name: the kind and its application or candidate. */
export function pushSubject(p: Pick<PushEntry, 'kind' | 'applicationId' | 'candidateId'>): string {
  if (p.applicationId) return `${pushNames[p.kind]} of application ${p.applicationId}`;
  if (p.candidateId) return `${pushNames[p.kind]} of candidate ${p.candidateId}`;
  return pushNames[p.kind];
}
