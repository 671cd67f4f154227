/**
 * The body of an outbound webhook (docs/providers.md §7): `{"type", "timestamp", "data"}`, at most 20 kB. The
 * catalogue's payloads carry ids and aggregates only; free-text fields (error messages from providers,
 * import failure reasons) are nevertheless scrubbed of e-mail addresses and phone numbers, because a
 * provider's error text may quote the record it refused.
 */
export const MAX_BODY_BYTES = 20 * 1024;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/** International format only (`+1 555 0100`), so dates, counts and ids are never mistaken for phones. */
const PHONE = /\+\d[\d\s().-]{5,}\d/g;

export const REDACTED = '[redacted]';

export function redactText(text: string): string {
  return text.replace(EMAIL, REDACTED).replace(PHONE, REDACTED);
}

/** A deep copy with every string scrubbed (redactText). */
export function redactPersonalData<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactPersonalData(v, depth + 1)) as T;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactPersonalData(v, depth + 1)]),
  ) as T;
}

export interface Envelope {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

const size = (text: string) => Buffer.byteLength(text, 'utf8');

function shrink(value: unknown, keepItems: number, maxString: number): unknown {
  if (typeof value === 'string') return value.length > maxString ? `${value.slice(0, maxString)}…` : value;
  if (Array.isArray(value)) return value.slice(0, keepItems).map((v) => shrink(v, keepItems, maxString));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shrink(v, keepItems, maxString)]));
  }
  return value;
}

/**
 * The exact bytes signed and sent, identical on every retry (they are stored with the delivery). Over the
 * limit, arrays and long strings are shortened step by step (`truncated: true` is added); as a last
 * resort only the top-level scalar fields stay (a thin payload the consumer can follow up by id).
 */
export function renderEnvelope(type: string, timestamp: string, data: Record<string, unknown>): string {
  const clean = redactPersonalData(data);
  const full = JSON.stringify({ type, timestamp, data: clean } satisfies Envelope);
  if (size(full) <= MAX_BODY_BYTES) return full;
  for (const [items, chars] of [
    [20, 1000],
    [10, 500],
    [5, 200],
    [1, 100],
    [0, 100],
  ] as const) {
    const shortened = { ...(shrink(clean, items, chars) as Record<string, unknown>), truncated: true };
    const text = JSON.stringify({ type, timestamp, data: shortened });
    if (size(text) <= MAX_BODY_BYTES) return text;
  }
  const thin = Object.fromEntries(
    Object.entries(clean).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v)),
  );
  const text = JSON.stringify({
    type,
    timestamp,
    data: { ...(shrink(thin, 0, 100) as object), truncated: true },
  });
  if (size(text) <= MAX_BODY_BYTES) return text;
  return JSON.stringify({ type, timestamp, data: { truncated: true } });
}

export function parseEnvelope(body: string): Envelope {
  const parsed = JSON.parse(body) as Partial<Envelope>;
  return {
    type: String(parsed.type ?? ''),
    timestamp: String(parsed.timestamp ?? ''),
    data: parsed.data && typeof parsed.data === 'object' ? parsed.data : {},
  };
}
