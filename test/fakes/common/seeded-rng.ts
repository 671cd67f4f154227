/** Deterministic pseudo-random numbers (mulberry32) so fake data is identical for a given seed. */
export interface SeededRng {
  next(): number;
  int(min: number, maxInclusive: number): number;
  pick<T>(items: readonly T[]): T;
  hex(length: number): string;
  /** Lower-case alphanumerics, e.g. Lever's 48-character webhook token. */
  alnum(length: number): string;
  uuid(): string;
}

export function createSeededRng(seed: number): SeededRng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const fromAlphabet = (alphabet: string, length: number) =>
    Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  const hex = (length: number) => fromAlphabet('0123456789abcdef', length);
  return {
    next,
    int,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(0, items.length - 1)] as (typeof items)[number];
    },
    hex,
    alnum: (length) => fromAlphabet('abcdefghijklmnopqrstuvwxyz0123456789', length),
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${fromAlphabet('89ab', 1)}${hex(3)}-${hex(12)}`,
  };
}

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Katherine',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Frances',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Johnson',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Allen',
];

/** Synthetic people: obviously fake names and example.test addresses, never real personal data. */
export function syntheticPerson(
  rng: SeededRng,
  index: number,
): { first: string; last: string; email: string; phone: string } {
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  return {
    first,
    last,
    email: `${first}.${last}.${index}@example.test`.toLowerCase(),
    phone: `+1-555-${String(rng.int(0, 9999)).padStart(4, '0')}`,
  };
}
