import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, readRepoFile } from '../../support/markdown.js';

/** Every environment variable the code reads is listed in docs/configuration.md. */
const SCANNED = ['functions', 'shared', 'infra', 'test/bench', 'test/support', 'test/reliability'];

function tsFiles(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const READS = [
  /\bprocess\.env\.([A-Z][A-Z0-9_]*)/g,
  /\bprocess\.env\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]/g,
  // a NodeJS.ProcessEnv or a parsed Env passed around under these names
  /\b(?:env|environment|source)\.([A-Z][A-Z0-9_]*)\b/g,
];
/** Keys of a zod schema over the environment (files that parse a NodeJS.ProcessEnv). */
const SCHEMA_KEY = /^\s+([A-Z][A-Z0-9_]*):\s*z\b/gm;

function variablesRead(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of SCANNED.flatMap(tsFiles)) {
    const text = readFileSync(join(REPO_ROOT, file), 'utf8');
    const patterns = text.includes('ProcessEnv') ? [...READS, SCHEMA_KEY] : READS;
    for (const pattern of patterns) {
      for (const m of text.matchAll(pattern)) if (!found.has(m[1]!)) found.set(m[1]!, file);
    }
  }
  return found;
}

describe('docs/configuration.md', () => {
  it('finds the variables of the environment schema (the scan works)', () => {
    const read = variablesRead();
    expect([...read.keys()]).toEqual(
      expect.arrayContaining([
        'DATABASE_PREPARE',
        'NOTIFY_ALLOW_LOOPBACK',
        'LOCAL_SCAN_RESULT',
        'DB_SECRET_ARN',
      ]),
    );
  });

  it('lists every environment variable the code reads', () => {
    const doc = readRepoFile('docs/configuration.md');
    const missing = [...variablesRead()]
      .filter(([name]) => !doc.includes(`\`${name}\``))
      .map(([name, file]) => `${name} (${relative('.', file)})`);
    expect(missing).toEqual([]);
  });
});
