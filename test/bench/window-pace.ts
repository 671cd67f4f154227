/**
 * Where a rate-limited sync leaves its request budget unused (B7): the fake's windows are aligned on the wall
 * clock, so each request falls in one window by its arrival time. For every window the run covered entirely, the
 * shortfall is `limit − requests`; it is split by what happened in that window (the sync moved from one list to
 * the next, or an invocation handed over to the next one) so a low pace is attributed, not guessed.
 */
import { median } from './harness.js';
export interface WindowPace {
  /** Windows the run covered from start to end (the first and the last are partial and left out). */
  fullWindows: number;
  requests: number;
  /** Σ (limit − requests) over the full windows. */
  shortfall: number;
  /** The share of the shortfall in windows where the sync moved to another list. */
  atListSwitch: number;
  /** The share of the shortfall in windows where an invocation ended and the next began. */
  atHandover: number;
  /** Full windows that used the whole limit. */
  windowsAtLimit: number;
}

export interface PacedRequest {
  at: number;
  /** The list the request reads (`/v3/candidates`…), without its query. */
  list: string;
}

export function windowPace(
  requests: readonly PacedRequest[],
  handovers: readonly number[],
  limit: number,
  windowMs: number,
): WindowPace {
  const windowOf = (at: number) => Math.floor(at / windowMs);
  const first = requests[0];
  const last = requests[requests.length - 1];
  if (!first || !last)
    return { fullWindows: 0, requests: 0, shortfall: 0, atListSwitch: 0, atHandover: 0, windowsAtLimit: 0 };
  const counts = new Map<number, number>();
  const switched = new Set<number>();
  requests.forEach((r, i) => {
    const w = windowOf(r.at);
    counts.set(w, (counts.get(w) ?? 0) + 1);
    if (i > 0 && requests[i - 1]!.list !== r.list) switched.add(w);
  });
  const handedOver = new Set(handovers.map(windowOf));
  let shortfall = 0;
  let atListSwitch = 0;
  let atHandover = 0;
  let windowsAtLimit = 0;
  const full = [];
  for (let w = windowOf(first.at) + 1; w < windowOf(last.at); w++) full.push(w);
  for (const w of full) {
    const missing = Math.max(0, limit - (counts.get(w) ?? 0));
    if (missing === 0) windowsAtLimit += 1;
    shortfall += missing;
    if (switched.has(w)) atListSwitch += missing;
    if (handedOver.has(w)) atHandover += missing;
  }
  return {
    fullWindows: full.length,
    requests: requests.length,
    shortfall,
    atListSwitch: shortfall > 0 ? atListSwitch / shortfall : 0,
    atHandover: shortfall > 0 ? atHandover / shortfall : 0,
    windowsAtLimit,
  };
}

/**
 * What a handover costs in request time: the median silence between the last request before each handover and
 * the first one after it, beside the median interval between consecutive requests elsewhere.
 */
export function handoverGaps(
  requests: readonly PacedRequest[],
  handovers: readonly number[],
): { medianAtHandoverMs: number; medianElsewhereMs: number } {
  const at: number[] = [];
  const elsewhere: number[] = [];
  for (let i = 1; i < requests.length; i++) {
    const before = requests[i - 1]!.at;
    const after = requests[i]!.at;
    const handedOver = handovers.some((h) => h > before && h <= after);
    (handedOver ? at : elsewhere).push(after - before);
  }
  return { medianAtHandoverMs: median(at), medianElsewhereMs: median(elsewhere) };
}
