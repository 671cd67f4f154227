import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moduleSpecifiers, REPOSITORY_ROOT, repositoryTypeScriptFiles } from '../../support/source-files.js';

/**
 * Every runtime dependency is imported by the code, and the README's dependency table names exactly the packages
 * of package.json: an unused package (such as the pglite-socket server the embedded PostgreSQL replaced) is
 * removed from both, not kept in the bundle or the docs.
 */

interface PackageJson {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const packageJson = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as PackageJson;

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; relative and `node:` specifiers are not packages. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * The packages the README's "Dependencies" table names in its first column. A bare name after a scoped one in
 * the same cell shares its scope (`@aws-lambda-powertools/logger`, `metrics` → `@aws-lambda-powertools/metrics`).
 */
function packagesNamedIn(readme: string): string[] {
  const section = readme.slice(readme.indexOf('## Dependencies'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('|')));
  const names: string[] = [];
  for (const row of table.split('\n').filter((line) => line.startsWith('| '))) {
    const cell = row.split('|')[1] ?? '';
    let scope = '';
    for (const [, name] of cell.matchAll(/`([^`]+)`/g)) {
      if (name!.startsWith('@')) scope = name!.slice(0, name!.indexOf('/') + 1);
      names.push(name!.startsWith('@') || scope === '' ? name! : `${scope}${name}`);
    }
  }
  return names;
}

describe('dependencies', () => {
  it('imports every runtime dependency somewhere in the code', { timeout: 30_000 }, () => {
    const imported = new Set(
      repositoryTypeScriptFiles().flatMap((file) =>
        moduleSpecifiers(file, readFileSync(join(REPOSITORY_ROOT, file), 'utf8')).map(packageOf),
      ),
    );

    const unused = Object.keys(packageJson.dependencies).filter((name) => !imported.has(name));

    expect(unused).toEqual([]);
  });

  it('names exactly the packages of package.json in the README table', () => {
    const readme = readFileSync(join(REPOSITORY_ROOT, 'README.md'), 'utf8');

    const named = packagesNamedIn(readme);

    expect([...named].sort()).toEqual(
      [...Object.keys(packageJson.dependencies), ...Object.keys(packageJson.devDependencies)].sort(),
    );
  });

  it('reads a scoped shorthand and a plain name from one table cell', () => {
    const readme = [
      '## Dependencies',
      '',
      '| package | why |',
      '|---|---|',
      '| `@aws-sdk/client-s3`, `client-sqs` | adapters |',
      '| dev: `vitest`, `fast-check` | tests |',
      '',
      'After the table: `not-a-package`.',
    ].join('\n');

    expect(packagesNamedIn(readme)).toEqual([
      '@aws-sdk/client-s3',
      '@aws-sdk/client-sqs',
      'vitest',
      'fast-check',
    ]);
  });
});
