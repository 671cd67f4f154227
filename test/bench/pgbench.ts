/**
 * The pgbench references: the statements a handler sends are captured from the wire-bound text postgres.js
 * builds (its `debug` hook sees every statement with its parameters, BEGIN/COMMIT included) and turned into
 * a pgbench custom script, so the reference runs exactly what the handler runs.
 *
 * Parameters: a value that is the same in two captured requests stays a bound parameter (`-D` variable);
 * a value that differs is made unique per transaction, as the handler's are: a UUID becomes `md5(:n || k)`
 * (the same captured UUID gives the same expression throughout the transaction), a generated id one that no
 * row has, other text the captured value followed by a per-transaction random number (`:n`); JSON stays the
 * captured document (same size), except a jsonb document the hub inlined, whose varying leaves are replaced
 * the same way (`jsonb_set`). pgbench has no text variables, hence the
 * server-side expressions (a few microseconds). String literals holding `:name` (e.g. `to_char` formats)
 * are written as equivalent `E'…\x3a…'` constants, because pgbench would read `:MI` as a variable.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres, { type Sql } from 'postgres';
import { median, percentile } from './harness.js';
import { libpqArgs, runTool } from './postgres.js';

export interface CapturedStatement {
  text: string;
  params: unknown[];
}

/**
 * A postgres.js client that records every statement it sends (same settings as shared/db/client.ts; the
 * statement text does not depend on them). `take()` returns and clears what was recorded.
 */
export function capturingClient(url: string, max = 1): { sql: Sql; take(): CapturedStatement[] } {
  let recorded: CapturedStatement[] = [];
  const sql = postgres(url, {
    max,
    idle_timeout: 20,
    max_lifetime: 30 * 60,
    connect_timeout: 5,
    prepare: true,
    onnotice: () => {},
    connection: { application_name: 'bench-capture' },
    transform: { undefined: null },
    debug: (_connection: number, text: string, params: unknown[]) => {
      recorded.push({ text, params: [...params] });
    },
  });
  return {
    sql,
    take() {
      const out = recorded;
      recorded = [];
      return out;
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function arrayLiteral(values: unknown[]): string {
  const items = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    const s = textOf(v);
    return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}

/** The text form of a parameter, as the server receives it. */
export function textOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return arrayLiteral(value);
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

function pgbenchSafeLiterals(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, (literal, offset: number) => {
    if (!/:[A-Za-z_]/.test(literal)) return literal;
    const prefixed = offset > 0 && /[eE]/.test(sql[offset - 1]!);
    const body = literal.slice(1, -1);
    const escaped = (prefixed ? body : body.replace(/\\/g, '\\\\')).replace(/:/g, '\\x3a');
    return `${prefixed ? '' : 'E'}'${escaped}'`;
  });
}

export interface PgbenchScript {
  script: string;
  defines: Record<string, string>;
  /** How each parameter was reproduced (printed in the results for review). */
  parameters: {
    statement: number;
    index: number;
    kind: 'bound' | 'uuid' | 'unique-text' | 'json' | 'json-varied' | 'null' | 'reference' | 'claimed';
  }[];
}

/**
 * Values the hub writes into a statement's text instead of binding them, so that with `prepare: false` the
 * statement goes in one flight (shared/db/single-call.ts, shared/outbox/publisher.ts,
 * shared/db/repositories/webhook-deliveries.ts): jsonb documents and strings (`E'…'::jsonb`, `E'…'::text`, quotes
 * and backslashes doubled), UUID constants (`'…'::uuid`), timestamps (`'…'::timestamptz`) and outbox id lists
 * (`id in (1, 2)`).
 */
const INLINED =
  /E'((?:[^']|'')*)'::(jsonb|text)|'([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'::uuid|'([^']*)'::timestamptz|\bid in \(([\d, ]+)\)/gi;

/** The value of an `E'…'` constant: each doubled quote or backslash read once. */
const unescapeConstant = (body: string) => body.replace(/''|\\\\/g, (pair) => pair[0]!);

/**
 * Turns those inlined values back into parameters, so two captures of the same request compare equal and the
 * values that vary per request are made unique per transaction like any other parameter.
 */
export function liftInlinedValues(statement: CapturedStatement): CapturedStatement {
  const params = [...statement.params];
  const text = statement.text.replace(
    INLINED,
    (
      _m,
      constant: string | undefined,
      type: string | undefined,
      uuid: string | undefined,
      timestamp: string | undefined,
      ids: string | undefined,
    ) => {
      if (constant !== undefined) {
        const value = unescapeConstant(constant);
        params.push(type!.toLowerCase() === 'jsonb' ? JSON.parse(value) : value);
        return `$${params.length}::${type}`;
      }
      if (uuid !== undefined) {
        params.push(uuid);
        return `$${params.length}::uuid`;
      }
      if (timestamp !== undefined) {
        params.push(timestamp);
        return `$${params.length}::timestamptz`;
      }
      const list = ids!.split(',').map((id) => {
        params.push(id.trim());
        return `$${params.length}::bigint`;
      });
      return `id in (${list.join(', ')})`;
    },
  );
  return { text, params };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The string leaves that differ between two documents of the same shape, by path. */
function differingLeaves(
  a: unknown,
  b: unknown,
  path: string[] = [],
): { path: string[]; value: string; other: unknown }[] {
  if (isObject(a) && isObject(b)) {
    return Object.keys(a).flatMap((k) => differingLeaves(a[k], b[k], [...path, k]));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.flatMap((v, i) => differingLeaves(v, b[i], [...path, String(i)]));
  }
  return typeof a === 'string' && a !== b ? [{ path, value: a, other: b }] : [];
}

/**
 * Builds the script from two captures of the same request shape (steady state, so no first-time work such
 * as an uncached key lookup), statement by statement.
 */
export function buildPgbenchScript(
  capturedFirst: CapturedStatement[],
  capturedSecond: CapturedStatement[],
  options: {
    /** Extra pgbench meta-commands (e.g. `\\set j random(0, 49)`) placed before the statements. */
    preamble?: string[];
    /** Varying values that reference existing rows (a job id): the SQL expression that picks one, e.g. by `:j`. */
    reference?: (value: string) => string | undefined;
  } = {},
): PgbenchScript {
  const first = capturedFirst.map(liftInlinedValues);
  const second = capturedSecond.map(liftInlinedValues);
  if (first.length !== second.length || first.some((s, i) => s.text !== second[i]!.text)) {
    throw new Error('the two captured requests sent different statements; cannot build one pgbench script');
  }
  const defines: Record<string, string> = {};
  const parameters: PgbenchScript['parameters'] = [];
  // a varying UUID becomes a per-transaction one derived from :n; the same captured value gives the same
  // expression everywhere, so a row the transaction wrote is found again by its id (the outbox claim)
  const uuids = new Map<string, string>();
  const uuidOf = (value: string) => {
    let expr = uuids.get(value);
    if (!expr) {
      expr = `md5(:n::text || '-${uuids.size}')::uuid`;
      uuids.set(value, expr);
    }
    return expr;
  };
  const lines = ['\\set n random(1, 9000000000000000)', ...(options.preamble ?? [])];
  // the outbox relay's claim answers the row the transaction wrote: kept with \gset, so the mark that follows
  // publishes that row as the hub's does (a mark of no row would leave every row pending, and the reference's
  // claims would scan a pending index that grows through the run)
  let claimed = false;
  first.forEach((statement, s) => {
    const other = second[s]!;
    let text = pgbenchSafeLiterals(statement.text);
    text = text.replace(/\$(\d+)/g, (_m, digits: string) => {
      const index = Number(digits) - 1;
      const a = statement.params[index];
      const b = other.params[index];
      const name = `s${s + 1}p${index + 1}`;
      if (a === null || a === undefined) {
        parameters.push({ statement: s + 1, index: index + 1, kind: 'null' });
        return 'NULL';
      }
      const ta = textOf(a);
      const tb = textOf(b);
      if (ta === tb) {
        defines[name] = ta;
        parameters.push({ statement: s + 1, index: index + 1, kind: 'bound' });
        return `:${name}`;
      }
      const reference = options.reference?.(ta);
      if (reference !== undefined && options.reference?.(tb) === reference) {
        parameters.push({ statement: s + 1, index: index + 1, kind: 'reference' });
        return reference;
      }
      if (UUID.test(ta)) {
        parameters.push({ statement: s + 1, index: index + 1, kind: 'uuid' });
        return `(${uuidOf(ta)})`;
      }
      if (index >= capturedFirst[s]!.params.length && isObject(a) && isObject(b)) {
        // a document whose leaves vary: the captured document with each varying leaf replaced per transaction
        defines[name] = ta;
        parameters.push({ statement: s + 1, index: index + 1, kind: 'json-varied' });
        return differingLeaves(a, b).reduce((doc, leaf, k) => {
          const path = `'{${leaf.path.map((p) => `"${p}"`).join(',')}}'`;
          const ref = options.reference?.(leaf.value);
          let value: string;
          if (ref !== undefined && options.reference?.(String(leaf.other)) === ref) value = `(${ref})::text`;
          else if (UUID.test(leaf.value)) value = `(${uuidOf(leaf.value)})::text`;
          else {
            defines[`${name}v${k}`] = leaf.value;
            value = `(:${name}v${k}::text || :n)`;
          }
          return `jsonb_set(${doc}, ${path}, to_jsonb(${value}))`;
        }, `:${name}::jsonb`);
      }
      defines[name] = ta;
      if (typeof a === 'object' || /^[[{]/.test(ta)) {
        parameters.push({ statement: s + 1, index: index + 1, kind: 'json' });
        return `:${name}`;
      }
      if (/^\d+$/.test(ta) && /^\d+$/.test(tb)) {
        // a generated id (an outbox row's): the one the claim returned, else one that no row has
        if (claimed) {
          parameters.push({ statement: s + 1, index: index + 1, kind: 'claimed' });
          return ':claimed_id';
        }
        parameters.push({ statement: s + 1, index: index + 1, kind: 'unique-text' });
        return '(0 - :n::bigint)';
      }
      parameters.push({ statement: s + 1, index: index + 1, kind: 'unique-text' });
      return `(:${name}::text || :n)`;
    });
    if (/^select id::text,/i.test(text.trim()) && /for update skip locked$/i.test(text.trim())) {
      lines.push(`${text.trim()} \\gset claimed_`);
      claimed = true;
    } else lines.push(`${text.trim()};`);
  });
  return { script: `${lines.join('\n')}\n`, defines, parameters };
}

export interface PgbenchResult {
  tps: number;
  transactions: number;
  failed: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMeanMs: number;
  seconds: number;
}

/**
 * `pgbench -M prepared -n -c <clients> -j 1 -T <seconds> -f script`, with per-transaction logs (-l) for the
 * latency percentiles. A client aborted by an error fails the run.
 */
export async function runPgbench(input: {
  url: string;
  script: Pick<PgbenchScript, 'script' | 'defines'>;
  clients: number;
  seconds: number;
}): Promise<PgbenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pgbench-'));
  try {
    const file = join(dir, 'script.sql');
    writeFileSync(file, input.script.script);
    const args = [
      '-M',
      'prepared',
      '-n',
      '-c',
      String(input.clients),
      '-j',
      '1',
      '-T',
      String(input.seconds),
      '-f',
      file,
      '-l',
      '--log-prefix',
      join(dir, 'tx'),
      ...Object.entries(input.script.defines).flatMap(([k, v]) => ['-D', `${k}=${v}`]),
      ...libpqArgs(input.url),
    ];
    const r = await runTool('pgbench', args, { cwd: dir });
    if (r.code !== 0 || /aborted/.test(r.stderr)) {
      throw new Error(`pgbench failed (${r.code}): ${(r.stderr || r.stdout).slice(0, 1500)}`);
    }
    const tps = Number(
      /tps = ([\d.]+) \(without initial connection time\)/.exec(r.stdout)?.[1] ?? Number.NaN,
    );
    const transactions = Number(/number of transactions actually processed: (\d+)/.exec(r.stdout)?.[1] ?? 0);
    const failed = Number(/number of failed transactions: (\d+)/.exec(r.stdout)?.[1] ?? 0);
    const latencies: number[] = [];
    for (const f of readdirSync(dir).filter((x) => x.startsWith('tx'))) {
      for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
        const us = Number(line.split(' ')[2]);
        if (Number.isFinite(us) && line) latencies.push(us / 1000);
      }
    }
    return {
      tps,
      transactions,
      failed,
      latencyP50Ms: median(latencies),
      latencyP99Ms: percentile(latencies, 99),
      latencyMeanMs: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
      seconds: input.seconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
