/**
 * The local runtime's stand-in for CDK's after-bundling step: each function that serves static files (the
 * console) gets them built by the topology's script under the local folder at start, and learns where through
 * CONSOLE_ASSETS_DIR (a Lambda finds them next to its bundle instead).
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { functions } from '../topology.js';

interface AssetBuilder {
  build(outDir: string): Promise<unknown>;
}

export async function buildStaticAssets(localDir: string): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const fn of functions) {
    if (!fn.assets) continue;
    const outDir = join(localDir, fn.assets.folder);
    const builder = (await import(pathToFileURL(resolve(fn.assets.build)).href)) as AssetBuilder;
    await builder.build(outDir);
    env.CONSOLE_ASSETS_DIR = outDir;
  }
  return env;
}
