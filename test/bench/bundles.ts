import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { BUNDLE_FILE, esbuildOptions } from '../../infra/constructs/bundling.js';
import { functions } from '../../infra/topology.js';
import { REPO_ROOT } from './postgres.js';

export const EMPTY_BUNDLE = 'empty';

export interface Bundle {
  name: string;
  dir: string;
  file: string;
  map: string;
  /** index.mjs: the module Lambda imports. */
  bytes: number;
  /** index.mjs and the chunks it imports statically (code shared with lazy chunks): what init compiles. */
  initBytes: number;
  mapBytes: number;
  /** index.mjs and every chunk it may load later. */
  totalBytes: number;
  chunks: number;
}

let root: string | undefined;
const built = new Map<string, Promise<Bundle>>();

function bundleRoot(): string {
  root ??= mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  return root;
}

export function removeBundles(): void {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
  built.clear();
}

/** Functions of the topology whose handler exists in this checkout, in topology order. */
export function functionEntries(): { name: string; entry: string }[] {
  return functions
    .map((f) => ({ name: f.name, entry: f.entry }))
    .filter((f) => existsSync(join(REPO_ROOT, f.entry)));
}

function entryOf(name: string): string {
  if (name === EMPTY_BUNDLE) return join(REPO_ROOT, 'test/bench/fixtures/empty-handler.ts');
  const f = functions.find((x) => x.name === name);
  if (!f) throw new Error(`no function ${name} in the topology`);
  return join(REPO_ROOT, f.entry);
}

/** Builds (once per run) the bundle CDK would build for a function, with the settings of bundling.ts. */
export function bundle(name: string): Promise<Bundle> {
  let pending = built.get(name);
  if (!pending) {
    pending = (async () => {
      const dir = join(bundleRoot(), name);
      mkdirSync(dir, { recursive: true });
      const file = join(dir, BUNDLE_FILE);
      const { metafile } = await build({
        ...esbuildOptions(entryOf(name), dir),
        absWorkingDir: REPO_ROOT,
        metafile: true,
      });
      const map = `${file}.map`;
      const modules = readdirSync(dir).filter((f) => f.endsWith('.mjs'));
      return {
        name,
        dir,
        file,
        map,
        bytes: statSync(file).size,
        initBytes: initClosureBytes(metafile),
        mapBytes: existsSync(map) ? statSync(map).size : 0,
        totalBytes: modules.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0),
        chunks: modules.length - 1,
      };
    })();
    built.set(name, pending);
  }
  return pending;
}

/**
 * The outputs init loads: index.mjs plus every chunk reached from it by static `import` (esbuild moves code that
 * index.mjs shares with a lazily imported chunk into a chunk of its own, which index.mjs then imports at once).
 */
export function initOutputs(metafile: Metafile): string[] {
  const outputs = metafile.outputs;
  const index = Object.keys(outputs).find((path) => path.endsWith(`/${BUNDLE_FILE}`));
  if (!index) return [];
  const seen = new Set([index]);
  const pending = [index];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (const edge of outputs[next]!.imports) {
      if (edge.kind !== 'import-statement' || !outputs[edge.path] || seen.has(edge.path)) continue;
      seen.add(edge.path);
      pending.push(edge.path);
    }
  }
  return [...seen];
}

const initClosureBytes = (metafile: Metafile) =>
  initOutputs(metafile).reduce((sum, path) => sum + metafile.outputs[path]!.bytes, 0);

let instance = 0;

/**
 * Imports a fresh instance of a bundle (new module records: its module-scope adapters, caches and DB client are
 * new), as a new Lambda execution environment would. The bundle directory is copied per instance: a chunk is
 * imported by a relative URL, so a query string on index.mjs alone would share the chunks (and any state in them)
 * between instances. Environment variables are read on first use.
 */
export async function importFresh<T = { handler: (...args: unknown[]) => Promise<unknown> }>(
  b: Bundle,
): Promise<T> {
  instance += 1;
  const dir = join(bundleRoot(), `${b.name}-instance-${instance}`);
  cpSync(b.dir, dir, { recursive: true });
  return (await import(pathToFileURL(join(dir, BUNDLE_FILE)).href)) as T;
}
