import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  headingAnchors,
  linkTargets,
  markdownFiles,
  REPO_ROOT,
  readRepoFile,
} from '../../support/markdown.js';

/** Relative links resolve, and nothing in the repository points at a document outside it. */
const inRepo = (path: string) => !relative(REPO_ROOT, path).startsWith('..');

function brokenLinks(file: string): string[] {
  const broken: string[] = [];
  for (const target of linkTargets(readRepoFile(file))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [pathPart = '', anchor] = target.split('#');
    const resolved = pathPart
      ? normalize(join(REPO_ROOT, dirname(file), decodeURI(pathPart)))
      : join(REPO_ROOT, file);
    if (!inRepo(resolved) || !existsSync(resolved)) {
      broken.push(`${file}: ${target} (no such file)`);
      continue;
    }
    if (anchor && resolved.endsWith('.md') && !headingAnchors(readFileSync(resolved, 'utf8')).has(anchor)) {
      broken.push(`${file}: ${target} (no such heading)`);
    }
  }
  return broken;
}

/** README, docs, TypeScript, SQL and JSON files the repository tracks (lock files aside). */
function citingFiles(): string[] {
  const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  return tracked
    .split('\n')
    .filter((f) => /\.(md|ts|sql|json)$/.test(f) && !f.endsWith('package-lock.json'))
    .filter((f) => existsSync(join(REPO_ROOT, f)));
}

/** The project's documents, by name; other repositories' `*.md` cited as sources are not ours to check. */
const PROJECT_DOCS = [
  'api',
  'architecture',
  'providers',
  'reliability',
  'performance',
  'reliability-results',
  'performance-results',
  'deploy',
  'configuration',
  'adding-a-provider',
];
const DOC_CITATION = /(?<![\w/.-])((?:[\w.-]+\/)*([\w-]+)\.md)\b/g;

function outsideReferences(file: string): string[] {
  const text = readFileSync(join(REPO_ROOT, file), 'utf8').replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '');
  const found: string[] = [];
  for (const m of text.matchAll(/((?:\.\.\/)+)shared\b/g)) {
    if (!inRepo(join(REPO_ROOT, dirname(file), m[1]!))) found.push(`${file}: ${m[0]}`);
  }
  for (const m of text.matchAll(DOC_CITATION)) {
    const [, cited, name] = m as unknown as [string, string, string];
    if (!cited.startsWith('docs/') && !PROJECT_DOCS.includes(name)) continue;
    const candidates = [join(REPO_ROOT, cited), join(REPO_ROOT, dirname(file), cited)];
    if (!candidates.some((path) => inRepo(path) && existsSync(path))) found.push(`${file}: ${cited}`);
  }
  return found;
}

describe('links', () => {
  it('resolves every relative link of README.md and docs/*.md, anchors included', () => {
    expect(markdownFiles().flatMap(brokenLinks)).toEqual([]);
  });

  it('finds no reference to a document outside the repository', () => {
    expect(citingFiles().flatMap(outsideReferences)).toEqual([]);
  });
});

describe('headingAnchors', () => {
  it('makes GitHub-style anchors', () => {
    const anchors = headingAnchors('# Errors\n## 10. Matrix (R1–R21)\n### `POST /a/{id}`\n## Errors\n');
    expect([...anchors]).toEqual(['errors', '10-matrix-r1r21', 'post-aid', 'errors-1']);
  });
});
