/**
 * webhook-intake and sync-worker verify or sync whichever provider a request names, so their bundles carry every
 * adapter; the registry's dynamic imports keep each one in a chunk of its own that init does not load (B3,
 * docs/performance-results.md). Built with the bundling settings CDK ships (infra/constructs/bundling.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '../../../infra/constructs/bundling.js';
import { providerNames } from '../../../shared/providers/names.js';
import { initOutputs } from '../../bench/bundles.js';
import { REPO_ROOT } from '../../bench/postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'provider-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const built = new Map<string, ReturnType<typeof buildInputs>>();
const bundleInputs = (fn: string) => built.get(fn) ?? built.set(fn, buildInputs(fn)).get(fn)!;

/** The source files of every output, and of the outputs init loads. */
async function buildInputs(fn: string) {
  const { metafile } = await build({
    ...esbuildOptions(join(REPO_ROOT, `functions/${fn}/handler.ts`), join(dir, fn)),
    absWorkingDir: REPO_ROOT,
    metafile: true,
    logLevel: 'silent',
  });
  const inputsOf = (outputs: string[]) => outputs.flatMap((o) => Object.keys(metafile.outputs[o]!.inputs));
  return { atInit: inputsOf(initOutputs(metafile)), all: inputsOf(Object.keys(metafile.outputs)) };
}

const adapterFiles = (inputs: string[]) =>
  providerNames.filter((p) => inputs.some((file) => file.startsWith(`shared/providers/${p}/`)));

describe.each(['webhook-intake', 'sync-worker'])('the %s bundle', (fn) => {
  it('loads no provider adapter at init', async () => {
    const { atInit } = await bundleInputs(fn);

    expect(adapterFiles(atInit)).toEqual([]);
  });

  it('still carries every adapter, in chunks loaded on first use', async () => {
    const { all } = await bundleInputs(fn);

    expect(adapterFiles(all)).toEqual([...providerNames]);
  });
});
