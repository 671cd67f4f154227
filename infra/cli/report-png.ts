/**
 * Renders an analytics report (report.html) to PNG with headless Chromium, to look at or attach.
 *
 *   npm run report:png -- [path/to/report.html] [--out path/to/report.png]
 *
 * Without a path, the newest report.html under `<LOCAL_DIR>` (default `.local/`) is used; the PNG goes next
 * to it unless `--out` says otherwise. Chromium is looked up at CHROMIUM_PATH, /usr/bin/chromium,
 * /usr/bin/chromium-browser, /usr/bin/google-chrome, /usr/bin/google-chrome-stable; when none exists the
 * command says so and exits with status 3. The report needs no network and no JavaScript; Chromium runs
 * with a throw-away profile and background networking off.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runIfMain } from './run-main.js';

export const CHROMIUM_MISSING_EXIT = 3;

export function chromiumCandidates(environment: NodeJS.ProcessEnv = process.env): string[] {
  return [
    environment.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
  ].filter((p): p is string => typeof p === 'string' && p.length > 0);
}

/** The first executable Chromium, or undefined. */
export function findChromium(candidates = chromiumCandidates()): string | undefined {
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not there or not executable
    }
  }
  return undefined;
}

/** The most recently modified `report.html` below `root`, or undefined. */
export async function findNewestReport(root: string): Promise<string | undefined> {
  let newest: { path: string; mtime: number } | undefined;
  const walk = async (dir: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      // the embedded database's files are many and never reports
      if (entry.isDirectory() && entry.name !== 'pgdata' && entry.name !== 'node_modules') await walk(path);
      else if (entry.isFile() && entry.name === 'report.html') {
        const mtime = (await stat(path)).mtimeMs;
        if (!newest || mtime > newest.mtime) newest = { path, mtime };
      }
    }
  };
  await walk(root);
  return newest?.path;
}

export interface RenderOptions {
  out?: string;
  chromium?: string;
  /** Where to look for Chromium when `chromium` is not given (default: chromiumCandidates()). */
  candidates?: string[];
  width?: number;
  height?: number;
  timeoutMs?: number;
}

export class ChromiumMissingError extends Error {
  constructor(readonly looked: string[]) {
    super(
      `Chromium is not installed (looked at ${looked.join(', ')}). Install it (e.g. apt-get install chromium) ` +
        'or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
    this.name = 'ChromiumMissingError';
  }
}

/** Screenshots the page at `htmlPath` into a PNG and returns the PNG's absolute path. */
export async function renderReportPng(htmlPath: string, options: RenderOptions = {}): Promise<string> {
  const input = resolve(htmlPath);
  if (!existsSync(input)) throw new Error(`no such file: ${input}`);
  const candidates = options.candidates ?? chromiumCandidates();
  const chromium = options.chromium ?? findChromium(candidates);
  if (!chromium) throw new ChromiumMissingError(candidates);
  const out = resolve(options.out ?? join(dirname(input), `${basename(input, '.html')}.png`));
  const width = options.width ?? 1200;
  const height = options.height ?? 1600;
  const profile = await mkdtemp(join(tmpdir(), 'report-png-'));
  await rm(out, { force: true });
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-extensions',
    '--hide-scrollbars',
    '--mute-audio',
    `--user-data-dir=${profile}`,
    `--screenshot=${out}`,
    `--window-size=${width},${height}`,
    pathToFileURL(input).href,
  ];
  try {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>(
      (resolvePromise, reject) => {
        const child = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => {
          if (stderr.length < 20_000) stderr += chunk.toString('utf8');
        });
        const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
        child.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        child.on('close', (exitCode) => {
          clearTimeout(timer);
          resolvePromise({ code: exitCode, stderr });
        });
      },
    );
    const written = existsSync(out) ? statSync(out).size : 0;
    if (code !== 0 || written === 0) {
      throw new Error(
        `chromium did not write ${out} (exit ${code}): ${stderr.trim().split('\n').slice(-5).join(' | ')}`,
      );
    }
    return out;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

export async function main(argv: string[], options: { candidates?: string[] } = {}): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{
      options: { out: { type: 'string' }; help: { type: 'boolean' } };
      allowPositionals: true;
    }>
  >;
  try {
    parsed = parseArgs({
      args: argv,
      options: { out: { type: 'string' }, help: { type: 'boolean' } },
      allowPositionals: true,
    });
  } catch (error) {
    console.error(`${(error as Error).message}\nusage: npm run report:png -- [report.html] [--out file.png]`);
    return 2;
  }
  if (parsed.values.help) {
    console.log('usage: npm run report:png -- [report.html] [--out file.png]');
    return 0;
  }
  const localDir = process.env.LOCAL_DIR ?? '.local';
  const input = parsed.positionals[0] ?? (await findNewestReport(localDir));
  if (!input) {
    console.error(
      `no report.html under ${localDir}/; run \`npm run export -- --org <id>\` first or name a file`,
    );
    return 2;
  }
  const candidates = options.candidates ?? chromiumCandidates();
  if (!findChromium(candidates)) {
    console.error(new ChromiumMissingError(candidates).message);
    return CHROMIUM_MISSING_EXIT;
  }
  try {
    const png = await renderReportPng(input, {
      candidates,
      ...(parsed.values.out ? { out: parsed.values.out } : {}),
    });
    console.log(png);
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
}

runIfMain(import.meta.url, main);
