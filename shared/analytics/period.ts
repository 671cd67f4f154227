/**
 * Export periods. A period is a pair of UTC calendar dates, both inclusive (as stored in
 * `analytics_exports.period_from/period_to`); the funnel is computed for the applications created from
 * `from` 00:00 UTC up to (not including) the day after `to`.
 *
 * Default (the daily schedule): one day of applications is too thin for a funnel, so the scheduled export
 * covers a rolling window of `windowDays` (30) days ending YESTERDAY (UTC), and is dated by its end date.
 * Run at 02:15 UTC on 1 April, it covers 2–31 March and lands under `.../2024-03-31/`.
 */
import { bucketLayout } from '../config/resources.js';

export const DEFAULT_WINDOW_DAYS = 30;

export interface ExportPeriod {
  /** YYYY-MM-DD, inclusive. */
  from: string;
  /** YYYY-MM-DD, inclusive. */
  to: string;
  /** `from` at 00:00 UTC: inclusive bound on `applications.created_at`. */
  start: Date;
  /** The day after `to` at 00:00 UTC: exclusive bound. */
  endExclusive: Date;
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses a YYYY-MM-DD calendar date as UTC midnight; rejects impossible dates such as 2024-02-30. */
export function parseIsoDate(value: string): Date {
  const date = new Date(`${value}T00:00:00.000Z`);
  if (!ISO_DATE.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${value}`);
  }
  return date;
}

export const isoDate = (date: Date): string => date.toISOString().slice(0, 10);

/**
 * `to` defaults to yesterday (UTC) relative to `now`; `from` defaults to `windowDays` days ending at `to`.
 * Either may be given alone.
 */
export function resolveExportPeriod(
  input: { from?: string | undefined; to?: string | undefined },
  now: Date,
  windowDays = DEFAULT_WINDOW_DAYS,
): ExportPeriod {
  if (!Number.isInteger(windowDays) || windowDays < 1)
    throw new RangeError('windowDays must be a positive integer');
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const end = input.to ? parseIsoDate(input.to) : new Date(today - DAY_MS);
  const start = input.from ? parseIsoDate(input.from) : new Date(end.getTime() - (windowDays - 1) * DAY_MS);
  if (start.getTime() > end.getTime()) throw new RangeError('period start is after its end');
  return { from: isoDate(start), to: isoDate(end), start, endExclusive: new Date(end.getTime() + DAY_MS) };
}

/**
 * `exports/<organizationId>/<to>/`: dated by the end date. The standard window sits directly in the date
 * folder; any other window (an operator's backfill) gets a sub-folder named by its start date, so two
 * different periods never share object keys: `exports/<organizationId>/<to>/from-<from>/`.
 */
export function exportPrefix(
  organizationId: string,
  period: ExportPeriod,
  windowDays = DEFAULT_WINDOW_DAYS,
): string {
  const days = Math.round((period.endExclusive.getTime() - period.start.getTime()) / DAY_MS);
  const base = `${bucketLayout.exports}${organizationId}/${period.to}/`;
  return days === windowDays ? base : `${base}from-${period.from}/`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const humanDate = (value: string) => {
  const d = parseIsoDate(value);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
};

export function periodLabel(period: Pick<ExportPeriod, 'from' | 'to'>): string {
  return `Applications created ${humanDate(period.from)} \u2013 ${humanDate(period.to)} (UTC, both days included)`;
}
