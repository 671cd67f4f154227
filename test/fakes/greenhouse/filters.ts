/** v3 timestamp operators: `updated_at=gte|<ts>|lte|<ts>` (also `gt`, `lt`, and `created_at`), combinable. */
export type TimeBound = { op: 'gte' | 'lte' | 'gt' | 'lt'; at: number };

export function parseTimeFilter(value: string): TimeBound[] | null {
  const parts = value.split('|');
  if (parts.length === 0 || parts.length % 2 !== 0) return null;
  const bounds: TimeBound[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const op = parts[i];
    const at = Date.parse(parts[i + 1] ?? '');
    if ((op !== 'gte' && op !== 'lte' && op !== 'gt' && op !== 'lt') || Number.isNaN(at)) return null;
    bounds.push({ op, at });
  }
  return bounds;
}

export function withinBounds(value: number, bounds: readonly TimeBound[]): boolean {
  return bounds.every((b) =>
    b.op === 'gte'
      ? value >= b.at
      : b.op === 'lte'
        ? value <= b.at
        : b.op === 'gt'
          ? value > b.at
          : value < b.at,
  );
}

export function idList(value: string | null): Set<number> | null {
  if (value === null) return null;
  return new Set(
    value
      .split(',')
      .map((v) => Number(v.trim()))
      .filter((n) => Number.isInteger(n)),
  );
}
