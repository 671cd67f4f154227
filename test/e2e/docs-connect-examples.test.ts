import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startTestRuntime, type TestRuntime } from '../support/local-runtime.js';
import { fencedBlocks, markdownFiles, readRepoFile } from '../support/markdown.js';

/**
 * Every connect example of the README and docs/ (a fenced block tagged `json connect-<provider>`) is posted,
 * exactly as written, to `POST /integrations` of the local runtime by an admin, and is accepted.
 */
const examples = markdownFiles().flatMap((file) =>
  fencedBlocks(readRepoFile(file))
    .filter((block) => /^json connect-[a-z]+$/.test(block.info))
    .map((block, index) => ({
      name: `${file} #${index + 1} (${block.info.slice('json connect-'.length)})`,
      provider: block.info.slice('json connect-'.length),
      body: block.body,
    })),
);

let t: TestRuntime;
let admin: ReturnType<typeof apiClient>;

beforeAll(async () => {
  t = await startTestRuntime();
  admin = apiClient(t.runtime.baseUrl, t.runtime.credentials.organizations[0]!.keys.admin);
});

afterAll(async () => {
  await t?.stop();
});

describe('connect examples in the docs', () => {
  it('include one for every provider in the README', () => {
    const inReadme = new Set(examples.filter((e) => e.name.startsWith('README.md')).map((e) => e.provider));
    expect([...inReadme].sort()).toEqual(['ashby', 'bamboohr', 'greenhouse', 'lever', 'workday']);
  });

  it.each(examples)('$name connects with 201', async ({ provider, body }) => {
    const res = await admin('POST', '/integrations', JSON.parse(body));
    expect({ status: res.status, provider: res.body?.provider }).toEqual({ status: 201, provider });
  });
});
