/**
 * Builds the operator console into a folder: app.js (esbuild: one minified ES module for current browsers),
 * and index.html, app.css and icon.svg copied from static/. Called by CDK after bundling the console-web
 * function (into the bundle), by the local runtime at start (into .local/console), and from the command line:
 * `node --import tsx console/build.ts <out dir>`.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));

export const STATIC_FILES = ['index.html', 'app.css', 'icon.svg'] as const;

export async function build(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await esbuild({
    entryPoints: [join(here, 'src/main.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const file of STATIC_FILES) await copyFile(join(here, 'static', file), join(outDir, file));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: console/build.ts <out dir>');
  await build(out);
}
