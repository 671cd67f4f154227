import { execSync } from 'node:child_process';
import { DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import type { BuildOptions } from 'esbuild';
import { buildSync } from 'esbuild';

/**
 * ESM output still meets CommonJS dependencies that call `require` for Node built-ins (esbuild turns those
 * calls into a `__require` shim that throws in ESM without a real `require`). This banner gives them one; esbuild
 * puts it at the top of every output file, chunks included.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __hubCreateRequire } from 'node:module'; const require = __hubCreateRequire(import.meta.url);";

/**
 * Module substitutions in every bundle (esbuild `alias`, resolved from the repository root):
 * - the SDK's Node credential chains become the environment-only chain of shared/aws/lambda-credentials.ts: the
 *   ini/SSO/process/web-identity/token links and their nested STS and SSO clients never run in Lambda;
 * - `@aws-sdk/s3-presigned-post` pins an older `@aws-sdk/client-s3` of its own, which would put a second S3
 *   client in portal-submission's bundle; it uses only `PutObjectCommand` from it, so it gets the hub's copy.
 */
export const HUB_ALIASES: Record<string, string> = {
  '@aws-sdk/credential-provider-node': './shared/aws/lambda-credentials.ts',
  '@aws-sdk/credential-providers': './shared/aws/lambda-credentials.ts',
  '@aws-sdk/client-s3': '@aws-sdk/client-s3',
};

/** The module Lambda loads (`index.handler`); chunks sit next to it. */
export const BUNDLE_FILE = 'index.mjs';

/**
 * The esbuild settings of every function bundle; HubFunction builds with them and so do the benchmarks
 * (test/bench), through this one function. ESM, minified, for Node 22, the AWS SDK inside at the locked versions,
 * linked external source maps without `sourcesContent`, and **code splitting**: what a handler loads with
 * `import()` (the SDK clients of its ports, the S3 presigner, the full route table of the OpenAPI document) goes to
 * chunks that Node compiles only on that first use, together with the Node built-ins only they import, instead of
 * compiling the whole bundle at init (docs/performance.md §1.2, B3).
 */
export function esbuildOptions(entry: string, outdir: string): BuildOptions {
  return {
    entryPoints: { index: entry },
    bundle: true,
    splitting: true,
    target: 'node22',
    platform: 'node',
    format: 'esm',
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    external: [],
    logLevel: 'warning',
    banner: { js: ESM_REQUIRE_BANNER },
    mainFields: ['module', 'main'],
    alias: { ...HUB_ALIASES },
  };
}

/**
 * CDK asset bundling for a function: esbuild's API in this process (esbuild is a dev dependency, no Docker).
 * `afterBundling` shell commands run next, e.g. to copy data files beside the bundle.
 */
export function hubBundling(
  repoRoot: string,
  entry: string,
  afterBundling?: (inputDir: string, outputDir: string) => string[],
): { image: DockerImage; local: ILocalBundling } {
  return {
    // never pulled: local bundling always succeeds or throws
    image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22'),
    local: {
      tryBundle(outputDir: string): boolean {
        buildSync({ ...esbuildOptions(entry, outputDir), absWorkingDir: repoRoot });
        for (const command of afterBundling?.(repoRoot, outputDir) ?? [])
          execSync(command, { cwd: repoRoot, stdio: 'inherit' });
        return true;
      },
    },
  };
}
