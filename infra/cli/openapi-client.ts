/**
 * CI check: generate a typed client from the OpenAPI document `GET /openapi.json` serves, with
 * openapi-typescript as a user's SDK generator would, and type-check a small usage file against it.
 *
 *   npm run openapi:client [-- --out-dir DIR]
 *
 * Without `--out-dir` the files go to a temporary directory, removed when the check passes.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import ts from 'typescript';
import { contract } from '../../shared/api/contract.js';
import { openApiDocument } from '../../shared/http/openapi.js';

/** The TypeScript declarations (`paths`, `components`, `operations`) openapi-typescript writes for a document. */
export async function clientTypes(document: Record<string, unknown>): Promise<string> {
  return astToString(await openapiTS(structuredClone(document) as unknown as OpenAPI3, { silent: true }));
}

/** What a client writes: a request body, a response, an error envelope and the Idempotency-Key header. */
const usage = `import type { components, paths } from './api';

type Submit = paths['/applications']['post'];
const body: Submit['requestBody']['content']['application/json'] = {
  jobId: '00000000-0000-4000-8000-000000000000',
  candidate: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
};
const headers: NonNullable<Submit['parameters']['header']> = { 'idempotency-key': 'retry-1' };
type Created = Submit['responses'][201]['content']['application/json'];
const applicationId = (created: Created): string => created.application.id;
const code = (failed: Submit['responses'][422]['content']['application/json']): string => failed.error.code;
const jobs = (page: paths['/jobs']['get']['responses'][200]['content']['application/json']) =>
  page.items.map((job: components['schemas']['Job']) => job.stages.length);
export { applicationId, body, code, headers, jobs };
`;

/** Type errors of the usage file against the generated declarations, formatted; empty when it compiles. */
function typeErrors(dir: string): string {
  const program = ts.createProgram([join(dir, 'usage.ts')], {
    strict: true,
    noEmit: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
  });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => dir,
    getNewLine: () => '\n',
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
  const dir = values['out-dir']
    ? resolve(values['out-dir'])
    : await mkdtemp(join(tmpdir(), 'openapi-client-'));
  const document = openApiDocument(contract);
  await writeFile(join(dir, 'openapi.json'), JSON.stringify(document, null, 2));
  await writeFile(join(dir, 'api.ts'), await clientTypes(document));
  await writeFile(join(dir, 'usage.ts'), usage);
  const errors = typeErrors(dir);
  if (errors) {
    console.error(`The client generated from the OpenAPI document does not type-check (${dir}):\n${errors}`);
    process.exitCode = 1;
    return;
  }
  if (!values['out-dir']) await rm(dir, { recursive: true, force: true });
  console.log(`openapi:client: ${Object.keys(document.paths as object).length} paths, client type-checks`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
