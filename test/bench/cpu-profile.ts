/**
 * Where a benchmark's in-process CPU goes: a V8 CPU profile of a measured phase (node:inspector, the same
 * sampler as `node --cpu-prof`), its self time summed by origin. Bundled code is traced back to its source file
 * through the bundle's source maps, so the AWS SDK, postgres.js, zod, Powertools, middy and the hub's own modules
 * are told apart inside one bundle. Enabled by `BENCH_CPU_PROFILE=1` (sampling costs a little CPU itself).
 */
import { existsSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { SourceMapConsumer } from 'source-map-js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export const profilingEnabled = () => process.env.BENCH_CPU_PROFILE === '1';

/** Runs `fn` under the CPU profiler when enabled. */
export async function profiled<T>(fn: () => Promise<T>): Promise<{ value: T; profile?: Profile }> {
  if (!profilingEnabled()) return { value: await fn() };
  const { value, profile } = await alwaysProfiled(fn, 500);
  return { value, profile };
}

const consumers = new Map<string, SourceMapConsumer | null>();

function sourceOf(url: string, line: number, column: number): string {
  if (!url.startsWith('file://') || !url.endsWith('.mjs')) return url;
  const file = fileURLToPath(url);
  let consumer = consumers.get(file);
  if (consumer === undefined) {
    const map = `${file}.map`;
    consumer = existsSync(map) ? new SourceMapConsumer(JSON.parse(readFileSync(map, 'utf8'))) : null;
    consumers.set(file, consumer);
  }
  return consumer?.originalPositionFor({ line: line + 1, column }).source ?? url;
}

/** A source path or URL as a readable origin: a package, a hub folder, a Node subsystem. */
export function origin(source: string, functionName: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)?.[1];
  if (pkg) {
    if (pkg.startsWith('@aws-sdk/') || pkg.startsWith('@smithy/') || pkg.startsWith('@aws-crypto/'))
      return 'AWS SDK (@aws-sdk, @smithy, @aws-crypto)';
    return pkg;
  }
  const hub = /(?:^|\/)(shared|functions)\/([^/]+)/.exec(source);
  if (hub) return `hub ${hub[1]}/${hub[2]}`;
  if (source.startsWith('node:')) {
    if (/crypto/.test(source)) return 'node crypto';
    if (/http|url/.test(source)) return 'node http/url';
    if (/net|stream|buffer|events|task_queues|timers/.test(source)) return 'node net/streams/events';
    return 'node other';
  }
  if (source.includes('/test/')) return 'load generator and benchmark (test/)';
  if (!source) return `(${functionName || 'native'})`;
  return 'other';
}

/**
 * Self time by origin, in ms per unit of work (e.g. per submission), largest first. Time in Node's internals and
 * in native code (a socket write, `(writeBuffer)`) also names the nearest caller outside them, e.g.
 * "(writeBuffer) ← postgres", so a write to the database is told from one to stdout.
 */
export function selfTimeByOrigin(profile: Profile, units: number): { origin: string; msPerUnit: number }[] {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n.id);
  const originOf = (n: ProfileNode) =>
    origin(
      sourceOf(n.callFrame.url, n.callFrame.lineNumber, n.callFrame.columnNumber),
      n.callFrame.functionName,
    );
  const internal = (o: string) => o.startsWith('node ') || o.startsWith('(');
  const caller = (id: number): string | undefined => {
    for (let p = parents.get(id); p !== undefined; p = parents.get(p)) {
      const o = originOf(nodes.get(p)!);
      if (!internal(o) && o !== 'other') return o;
    }
    return undefined;
  };
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const own = originOf(nodes.get(id)!);
    // idle, and the profiler's own Profiler.stop (serialising the profile, inside the inspector's dispatch)
    if (own === '((idle))' || own === '(dispatch)') return;
    const via = internal(own) && own !== '((garbage collector))' ? caller(id) : undefined;
    const key = via ? `${own} ← ${via}` : own;
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return [...totals]
    .map(([key, us]) => ({ origin: key, msPerUnit: us / 1000 / units }))
    .sort((a, b) => b.msPerUnit - a.msPerUnit);
}

/** The largest origins of a profile as printed lines, per unit of work (e.g. "per delivery (512 deliveries)"). */
export function profileReport(profile: Profile, units: number, per: string): string {
  const lines = selfTimeByOrigin(profile, units)
    .slice(0, 16)
    .map((o) => `  ${o.msPerUnit.toFixed(3)} ms  ${o.origin}`);
  return `CPU profile, self time per ${per}:\n${lines.join('\n')}`;
}

/** A profile frame as `classifySamples` hands it over: the source file (mapped through a bundle's source map) and function. */
export interface Frame {
  source: string;
  functionName: string;
}

/**
 * The profile's wall time in ms by a name `classify` gives each sample from its stack (leaf first), idle samples
 * included, so the names sum to the profiled time. The profiler's own stop (`(dispatch)`) is left out.
 */
export function classifySamples(profile: Profile, classify: (stack: Frame[]) => string): Map<string, number> {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n.id);
  const names = new Map<number, string>();
  const nameOf = (id: number) => {
    let name = names.get(id);
    if (name === undefined) {
      const stack: Frame[] = [];
      for (let p: number | undefined = id; p !== undefined; p = parents.get(p)) {
        const f = nodes.get(p)!.callFrame;
        stack.push({
          source: sourceOf(f.url, f.lineNumber, f.columnNumber),
          functionName: f.functionName,
        });
      }
      name = classify(stack);
      names.set(id, name);
    }
    return name;
  };
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    // the first delta runs from the profiler's start to its first sample (its own start-up, up to 0.3 s)
    if (i === 0 || nodes.get(id)!.callFrame.functionName === '(dispatch)') return;
    const name = nameOf(id);
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return totals;
}

/** Runs `fn` under the CPU profiler whatever `BENCH_CPU_PROFILE` says (a diagnostic run of its own). */
export async function alwaysProfiled<T>(fn: () => Promise<T>, intervalUs = 1000) {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await session.post('Profiler.start');
    const started = performance.now();
    const value = await fn();
    const wallMs = performance.now() - started;
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    return { value, profile, wallMs };
  } finally {
    session.disconnect();
  }
}
