/** The house rule on size: a source file over 400 lines says why in its first line. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT, repositoryTypeScriptFiles } from '../../support/source-files.js';

const LIMIT = 400;

describe('file size', () => {
  it('has no TypeScript file over 400 lines without its reason at the top', () => {
    const unexplained = repositoryTypeScriptFiles().filter((file) => {
      const text = readFileSync(join(REPOSITORY_ROOT, file), 'utf8');
      const lines = text.split('\n');
      return lines.length > LIMIT + 1 && !lines[0]?.startsWith('// Over 400 lines: ');
    });

    expect(unexplained).toEqual([]);
  });
});
