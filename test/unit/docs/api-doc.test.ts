import { describe, expect, it } from 'vitest';
import { contract } from '../../../shared/api/contract.js';
import { openApiDocument } from '../../../shared/http/openapi.js';
import { readRepoFile } from '../../support/markdown.js';

/** docs/api.md and the OpenAPI document the hub serves name the same routes. */
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function servedOperations(): string[] {
  const document = openApiDocument(contract) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => METHODS.includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

function documentedOperations(): string[] {
  const text = readRepoFile('docs/api.md');
  return [...text.matchAll(/`(GET|PUT|POST|DELETE|PATCH) (\/[^`\s]*)`/g)].map((m) => `${m[1]} ${m[2]}`);
}

describe('docs/api.md', () => {
  it('documents every operation of the served OpenAPI document', () => {
    const documented = new Set(documentedOperations());
    const missing = servedOperations().filter((operation) => !documented.has(operation));
    expect(missing).toEqual([]);
  });

  it('names no route that the OpenAPI document lacks', () => {
    const served = new Set(servedOperations());
    const unknown = documentedOperations().filter((operation) => !served.has(operation));
    expect(unknown).toEqual([]);
  });
});
