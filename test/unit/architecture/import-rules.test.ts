import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  moduleSpecifiers,
  REPOSITORY_ROOT as ROOT,
  repositoryTypeScriptFiles,
} from '../../support/source-files.js';

/**
 * The layering rules, checked on every .ts file of the repository:
 * - runtime code (functions/, shared/) never imports infra/, test/ or demo/;
 * - infra/ never imports test/ or demo/ (demo/ is the one entry point that may use the test fakes);
 * - shared/domain imports only shared/domain and zod, so the rules stay pure;
 * - console/src (the operator console's browser code) imports only console/src.
 */

const DOMAIN = 'shared/domain/';
const DOMAIN_PACKAGES = new Set(['zod']);
const CONSOLE = 'console/src/';

interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

const within = (path: string, ...folders: string[]) => folders.some((f) => path.startsWith(`${f}/`));

/** `file` and the returned targets are paths from the repository root with forward slashes. */
function importViolations(file: string, source: string): Violation[] {
  const violations: Violation[] = [];
  for (const specifier of moduleSpecifiers(file, source)) {
    const relativeImport = specifier.startsWith('.');
    const target = relativeImport ? posix.normalize(posix.join(posix.dirname(file), specifier)) : undefined;
    const report = (rule: string) => violations.push({ file, specifier, rule });
    if (within(file, 'functions', 'shared') && target && within(target, 'infra', 'test', 'demo')) {
      report('functions/ and shared/ must not import infra/, test/ or demo/');
    } else if (within(file, 'infra') && target && within(target, 'test', 'demo')) {
      report('infra/ must not import test/ or demo/');
    }
    if (file.startsWith(CONSOLE) && !target?.startsWith(CONSOLE)) {
      report('console/src imports only console/src (the browser bundle holds no server code)');
    }
    if (file.startsWith(DOMAIN)) {
      if (target ? !target.startsWith(DOMAIN) : !DOMAIN_PACKAGES.has(specifier)) {
        report('shared/domain imports only shared/domain and zod');
      }
    }
  }
  return violations;
}

describe('import rules', () => {
  // parses some 450 files: generous on a busy machine
  it('hold for every TypeScript file of the repository', { timeout: 30_000 }, () => {
    // prepare
    const files = repositoryTypeScriptFiles();

    // act
    const violations = files.flatMap((file) =>
      importViolations(file, readFileSync(join(ROOT, file), 'utf8')),
    );

    // assess
    expect(files.length).toBeGreaterThan(300);
    expect(violations).toEqual([]);
  });

  it('report runtime code importing infra, test or demo, whatever the import form', () => {
    // prepare
    const source = [
      "import type { FunctionSpec } from '../../infra/topology.js';",
      "export { startGreenhouseFake } from '../../test/fakes/greenhouse/index.js';",
      "const demo = await import('../../demo/main.js');",
      "type Stage = import('../../demo/stage.js').DemoStage;",
      "import { bucketLayout } from '../../shared/config/resources.js';",
    ].join('\n');

    // act
    const violations = importViolations('functions/portal-submission/use-case.ts', source);

    // assess
    expect(violations.map((v) => v.specifier)).toEqual([
      '../../infra/topology.js',
      '../../test/fakes/greenhouse/index.js',
      '../../demo/main.js',
      '../../demo/stage.js',
    ]);
  });

  it('report infra importing test or demo, and let it import shared', () => {
    // prepare
    const source = [
      "import { createControllableClock } from '../../test/fakes/common/controllable-clock.js';",
      "import { runStory } from '../../demo/story.js';",
      "import { bucketLayout } from '../../shared/config/resources.js';",
    ].join('\n');

    // act
    const violations = importViolations('infra/cli/sync.ts', source);

    // assess
    expect(violations).toEqual([
      {
        file: 'infra/cli/sync.ts',
        specifier: '../../test/fakes/common/controllable-clock.js',
        rule: 'infra/ must not import test/ or demo/',
      },
      {
        file: 'infra/cli/sync.ts',
        specifier: '../../demo/story.js',
        rule: 'infra/ must not import test/ or demo/',
      },
    ]);
  });

  it('report console code importing server code or a package', () => {
    // prepare
    const source = [
      "import type { SyncRunProgress } from '../../../shared/api/console.js';",
      "import * as z from 'zod';",
      "import { formatCount } from '../format.js';",
    ].join('\n');

    // act
    const violations = importViolations('console/src/views/runs.ts', source);

    // assess
    expect(violations.map((v) => v.specifier)).toEqual(['../../../shared/api/console.js', 'zod']);
  });

  it('report the domain importing anything but itself and zod', () => {
    // prepare
    const source = [
      "import * as z from 'zod';",
      "import type { ApplicationStatus } from './pipeline.js';",
      "import type { Sql } from 'postgres';",
      "import { PROVIDERS } from '../providers/registry.js';",
      "import { randomUUID } from 'node:crypto';",
    ].join('\n');

    // act
    const violations = importViolations('shared/domain/canonical.ts', source);

    // assess
    expect(violations.map((v) => v.specifier)).toEqual([
      'postgres',
      '../providers/registry.js',
      'node:crypto',
    ]);
  });

  it('let demo/ import the test fakes', () => {
    // prepare
    const source = "import { startGreenhouseFake } from '../test/fakes/greenhouse/index.js';";

    // act
    const violations = importViolations('demo/stage.ts', source);

    // assess
    expect(violations).toEqual([]);
  });
});
