import {
  type BundlingOptions,
  Charset,
  LogLevel,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/**
 * ESM output still meets CommonJS dependencies that call `require` for Node built-ins (esbuild turns those
 * calls into a `__require` shim that throws in ESM without a real `require`). This banner gives them one.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __hubCreateRequire } from 'node:module'; const require = __hubCreateRequire(import.meta.url);";

/**
 * The esbuild settings of every function bundle, as CDK `NodejsFunction` bundling options (HubFunction uses
 * them; the benchmarks build with the same through `esbuildOptions`). One minified ESM file, the AWS SDK
 * inside, a linked external source map without `sourcesContent`.
 */
export const HUB_BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  externalModules: [],
  bundleAwsSDK: true,
  charset: Charset.UTF8,
  logLevel: LogLevel.WARNING,
} satisfies BundlingOptions;

/**
 * The esbuild JS API options equivalent to the command line CDK (aws-cdk-lib 2.276, `Bundling.buildEsbuildArgs`)
 * derives from HUB_BUNDLING: `--bundle --target --platform=node --format --outfile --minify --sourcemap
 * --sources-content=false --log-level --banner:js --main-fields`. That CDK version passes no `--charset` (the
 * `charset` option is not forwarded), so neither does this: the output is what Lambda actually receives.
 */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  const b = HUB_BUNDLING;
  return {
    entryPoints: [entry],
    bundle: true,
    target: b.target,
    platform: 'node',
    format: b.format === OutputFormat.ESM ? 'esm' : 'cjs',
    outfile,
    minify: b.minify,
    sourcemap: b.sourceMap
      ? b.sourceMapMode === SourceMapMode.DEFAULT
        ? true
        : (b.sourceMapMode as 'inline' | 'external' | 'both')
      : false,
    sourcesContent: b.sourcesContent,
    external: [...b.externalModules],
    logLevel: b.logLevel as BuildOptions['logLevel'],
    banner: { js: b.banner },
    mainFields: [...b.mainFields],
  };
}

/** Output file name CDK uses for the format. */
export const BUNDLE_FILE = HUB_BUNDLING.format === OutputFormat.ESM ? 'index.mjs' : 'index.js';
