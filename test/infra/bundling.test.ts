import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stages } from '../../infra/config/stages.js';
import { BUNDLED_MIGRATIONS_DIR } from '../../infra/constructs/database-migrations.js';
import { ESM_REQUIRE_BANNER, HubFunction, REPO_ROOT } from '../../infra/constructs/hub-function.js';
import { functions } from '../../infra/topology.js';
import { logicalIdIn } from './support.js';

/**
 * Real esbuild bundling (local, no Docker) of every function whose handler file exists today, through the
 * house construct: ESM, banner, minified, external maps without sources, the AWS SDK inside the bundle,
 * and for db-migrate the migrations next to it. `npx cdk synth` does the same for the whole app.
 */
const specs = [
  {
    name: 'db-migrate',
    description: 'db-migrate',
    entry: 'functions/db-migrate/handler.ts',
    timeoutSeconds: 300,
    memoryMb: 512,
  },
  ...functions,
].filter((s) => existsSync(join(REPO_ROOT, s.entry)));

let outdir = '';
const bundles = new Map<string, string>();

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'hub-bundle-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Bundling');
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    natGateways: 0,
    subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const endpointSecurityGroup = new ec2.SecurityGroup(stack, 'Endpoints', { vpc });
  const built = specs.map((spec) => ({
    spec,
    fn: new HubFunction(stack, spec.name, {
      spec,
      config: stages.dev,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      endpointSecurityGroup,
      publicHttpsEgress: false,
      ...(spec.name === 'db-migrate'
        ? { afterBundling: (i: string, o: string) => [`cp -R "${i}/migrations" "${o}/migrations"`] }
        : {}),
    }),
  }));
  const assembly = app.synth();
  const template = assembly.getStackByName('Bundling').template as {
    Resources: Record<string, { Properties: { Code?: { S3Key?: string } } }>;
  };
  for (const { spec, fn } of built) {
    const id = logicalIdIn(stack, fn.fn);
    const s3Key = template.Resources[id]?.Properties.Code?.S3Key ?? '';
    bundles.set(spec.name, join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`));
  }
}, 240_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('real bundling of the functions whose handlers exist', () => {
  it('has at least db-migrate to bundle', () => {
    expect(specs.map((s) => s.name)).toContain('db-migrate');
  });

  for (const spec of specs) {
    it(`${spec.name}: minified ESM index.mjs and chunks, each with the require banner and an external map without sources`, () => {
      const dir = bundles.get(spec.name) ?? '';
      const files = readdirSync(dir).filter((f) => f !== 'migrations');
      const modules = files.filter((f) => f.endsWith('.mjs'));
      expect(modules).toContain('index.mjs');
      expect(modules.filter((f) => f !== 'index.mjs').every((f) => /^chunk-[A-Z0-9]+\.mjs$/.test(f))).toBe(
        true,
      );
      expect(files.sort()).toEqual([...modules, ...modules.map((f) => `${f}.map`)].sort());
      for (const file of modules) {
        const code = readFileSync(join(dir, file), 'utf8');
        expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
        expect(code).toContain(`//# sourceMappingURL=${file}.map`);
        expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
        const map = JSON.parse(readFileSync(join(dir, `${file}.map`), 'utf8')) as {
          sourcesContent?: unknown;
        };
        expect(map.sourcesContent).toBeUndefined();
      }
      // docs/performance.md §1.4 budgets ≤ 1 MB (maps excluded) for what init loads; the size is the handler
      // authors' to keep, so above it this prints a warning, and only a runaway bundle (> 2 MiB) fails here
      const size = statSync(join(dir, 'index.mjs')).size;
      const total = modules.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
      if (size > 1024 * 1024)
        console.warn(`${spec.name}: ${(size / 1024).toFixed(0)} KiB is over the 1 MB budget`);
      expect(total).toBeLessThan(2 * 1024 * 1024);
      console.log(
        `${spec.name}: index.mjs ${(size / 1024).toFixed(0)} KiB, with chunks ${(total / 1024).toFixed(0)} KiB`,
      );
    });
  }

  it('db-migrate: carries migrations/ next to the bundle and loads as ESM', async () => {
    const dir = bundles.get('db-migrate') ?? '';
    const repoMigrations = readdirSync(join(REPO_ROOT, 'migrations')).filter((f) => f.endsWith('.sql'));
    expect(readdirSync(join(dir, 'migrations')).sort()).toEqual(repoMigrations.sort());
    expect(BUNDLED_MIGRATIONS_DIR).toBe('/var/task/migrations');
    const mod = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { handler?: unknown };
    expect(typeof mod.handler).toBe('function');
  });
});
