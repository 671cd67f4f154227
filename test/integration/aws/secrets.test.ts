import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileSecretStore } from '../../../infra/local/file-secrets.js';
import { SecretsManagerStore } from '../../../shared/aws/secrets-manager-store.js';
import { loadEnv } from '../../../shared/config/env.js';
import { createSecretStore } from '../../../shared/runtime/aws-adapters.js';
import {
  type FakeAwsEndpoint,
  sdkClientConfig,
  startFakeSecretsManager,
  TEST_CREDENTIALS,
} from './fake-aws-endpoint.js';

const CACHE_SECONDS = 900;
const START = Date.parse('2026-05-01T00:00:00Z');

describe('SecretsManagerStore', () => {
  let endpoint: FakeAwsEndpoint;
  let client: SecretsManagerClient;
  const secrets = new Map<string, string>();

  const store = (prefix?: string) =>
    new SecretsManagerStore({ client, maxAgeSeconds: CACHE_SECONDS, ...(prefix ? { prefix } : {}) });

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(START);
    secrets.clear();
    endpoint = await startFakeSecretsManager(secrets);
    client = new SecretsManagerClient(sdkClientConfig(endpoint));
  });

  afterEach(async () => {
    client.destroy();
    await endpoint.stop();
    vi.useRealTimers();
  });

  it('fetches a secret once per cache period, however many reads, sequential or concurrent', async () => {
    secrets.set('providers/gh', JSON.stringify({ apiKey: 'k1' }));
    const s = store();

    for (let i = 0; i < 50; i++) await s.get('providers/gh');
    const concurrent = await Promise.all(Array.from({ length: 20 }, () => s.get('providers/gh')));

    expect(endpoint.count('GetSecretValue')).toBe(1);
    expect(concurrent.every((v) => v?.apiKey === 'k1')).toBe(true);
  });

  it('still answers from the cache late in the period, long after Powertools’ 5 s default', async () => {
    secrets.set('providers/gh', JSON.stringify({ apiKey: 'k1' }));
    const s = store();
    await s.get('providers/gh');

    vi.setSystemTime(START + (CACHE_SECONDS - 1) * 1000);
    await s.get('providers/gh');

    expect(endpoint.count('GetSecretValue')).toBe(1);
  });

  it('fetches again once the cache period has passed', async () => {
    secrets.set('providers/gh', JSON.stringify({ apiKey: 'k1' }));
    const s = store();
    await s.get('providers/gh');
    secrets.set('providers/gh', JSON.stringify({ apiKey: 'k2' }));

    vi.setSystemTime(START + (CACHE_SECONDS + 1) * 1000);
    const value = await s.get('providers/gh');

    expect(value).toEqual({ apiKey: 'k2' });
    expect(endpoint.count('GetSecretValue')).toBe(2);
  });

  it('answers undefined for a secret that does not exist', async () => {
    expect(await store().get('providers/none')).toBeUndefined();
  });

  it('creates a secret that does not exist yet on put', async () => {
    const s = store();

    await s.put('webhooks/int-1', { current: 'whsec_1' });

    expect(endpoint.calls.map((c) => c.operation)).toEqual(['PutSecretValue', 'CreateSecret']);
    expect(JSON.parse(secrets.get('webhooks/int-1') ?? '{}')).toEqual({ current: 'whsec_1' });
  });

  it('creates a new secret under the configured customer-managed KMS key', async () => {
    const s = new SecretsManagerStore({
      client,
      maxAgeSeconds: CACHE_SECONDS,
      kmsKeyId: 'alias/hub-secrets',
    });

    await s.put('webhooks/int-2', { current: 'whsec_2' });

    expect(endpoint.calls.find((c) => c.operation === 'CreateSecret')?.input.KmsKeyId).toBe(
      'alias/hub-secrets',
    );
  });

  it('writes a new value of an existing secret with PutSecretValue only', async () => {
    secrets.set('webhooks/int-1', JSON.stringify({ current: 'old' }));

    await store().put('webhooks/int-1', { current: 'new' });

    expect(endpoint.calls.map((c) => c.operation)).toEqual(['PutSecretValue']);
    expect(JSON.parse(secrets.get('webhooks/int-1') ?? '{}')).toEqual({ current: 'new' });
  });

  it('drops its cache entry on put, so the next read returns the new value', async () => {
    secrets.set('webhooks/int-1', JSON.stringify({ current: 'old' }));
    const s = store();
    await s.get('webhooks/int-1');

    await s.put('webhooks/int-1', { current: 'new', previous: 'old' });
    const value = await s.get('webhooks/int-1');

    expect(value).toEqual({ current: 'new', previous: 'old' });
    expect(endpoint.count('GetSecretValue')).toBe(2);
  });

  it('keeps the cache of other names on put', async () => {
    secrets.set('a', JSON.stringify({ v: 1 }));
    secrets.set('b', JSON.stringify({ v: 2 }));
    const s = store();
    await s.get('a');
    await s.get('b');

    await s.put('a', { v: 3 });
    await s.get('b');

    expect(
      endpoint.calls.filter((c) => c.operation === 'GetSecretValue').map((c) => c.input.SecretId),
    ).toEqual(['a', 'b']);
  });

  it('hands out copies, so changing a returned value leaves the cache alone', async () => {
    secrets.set('a', JSON.stringify({ v: 1 }));
    const s = store();
    const first = await s.get<{ v: number }>('a');
    if (first) first.v = 99;

    expect(await s.get('a')).toEqual({ v: 1 });
  });

  it('names secrets under the configured prefix', async () => {
    const s = store('hub');

    await s.put('providers/x', { k: 'v' });
    await s.get('providers/x');

    expect(endpoint.calls.map((c) => c.input.SecretId ?? c.input.Name)).toEqual([
      'hub/providers/x',
      'hub/providers/x',
      'hub/providers/x',
    ]);
  });

  it('refuses a secret whose value is not a JSON object', async () => {
    secrets.set('odd', JSON.stringify(['not', 'an', 'object']));

    await expect(store().get('odd')).rejects.toThrow(/not a JSON object/);
  });
});

describe('the secret store a function builds from its environment', () => {
  let endpoint: FakeAwsEndpoint;

  /** The function's store: the SDK reaches the fake through its standard per-service endpoint variable. */
  const storeFrom = (variables: Record<string, string>) => {
    vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', endpoint.url);
    vi.stubEnv('AWS_ACCESS_KEY_ID', TEST_CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', TEST_CREDENTIALS.secretAccessKey);
    return createSecretStore(loadEnv({ AWS_REGION: 'us-east-1', SECRETS_PREFIX: 'hub-test', ...variables }));
  };
  const created = () => endpoint.calls.find((c) => c.operation === 'CreateSecret')?.input;

  beforeEach(async () => {
    endpoint = await startFakeSecretsManager(new Map());
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
    await endpoint.stop();
  });

  it('creates a new secret under the key SECRETS_KMS_KEY_ID names', async () => {
    const keyArn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const store = storeFrom({ SECRETS_KMS_KEY_ID: keyArn });

    await store.put('webhooks/int-9', { current: 'whsec_9' });

    expect(created()).toMatchObject({ Name: 'hub-test/webhooks/int-9', KmsKeyId: keyArn });
  });

  it('leaves the key to Secrets Manager (the AWS-managed key) when SECRETS_KMS_KEY_ID is unset', async () => {
    const store = storeFrom({});

    await store.put('webhooks/int-9', { current: 'whsec_9' });

    expect(created()).toMatchObject({ Name: 'hub-test/webhooks/int-9' });
    expect(created()).not.toHaveProperty('KmsKeyId');
  });
});

describe('FileSecretStore', () => {
  let dir: string;
  let path: string;
  let now: number;

  const store = () => new FileSecretStore({ path, maxAgeSeconds: CACHE_SECONDS, now: () => now });
  const readJson = async () => JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hub-secrets-'));
    path = join(dir, 'nested', 'secrets.json');
    now = START;
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the file, readable by its owner only, when it is first touched', async () => {
    await store().get('anything');

    expect(await readJson()).toEqual({});
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('reads the file once per cache period, however many reads', async () => {
    const s = store();
    await s.put('providers/gh', { apiKey: 'k1' });

    for (let i = 0; i < 50; i++) await s.get('providers/gh');
    await Promise.all(Array.from({ length: 20 }, () => s.get('providers/gh')));

    expect(s.fetchCount).toBe(1);
  });

  it('keeps answering from the cache until the period ends, then reads the file again', async () => {
    const s = store();
    await s.put('providers/gh', { apiKey: 'k1' });
    await s.get('providers/gh');
    await writeFile(path, JSON.stringify({ 'providers/gh': { apiKey: 'k2' } }));

    now = START + (CACHE_SECONDS - 1) * 1000;
    const cached = await s.get('providers/gh');
    now = START + (CACHE_SECONDS + 1) * 1000;
    const fresh = await s.get('providers/gh');

    expect(cached).toEqual({ apiKey: 'k1' });
    expect(fresh).toEqual({ apiKey: 'k2' });
  });

  it('drops its cache entry on put, so the next read returns the new value', async () => {
    const s = store();
    await s.put('webhooks/int-1', { current: 'old' });
    await s.get('webhooks/int-1');

    await s.put('webhooks/int-1', { current: 'new' });

    expect(await s.get('webhooks/int-1')).toEqual({ current: 'new' });
    expect(s.fetchCount).toBe(2);
  });

  it('answers undefined for a name the file does not hold', async () => {
    expect(await store().get('providers/none')).toBeUndefined();
  });

  it('replaces the file atomically: a new file (rename), mode 0600, no temporary file left', async () => {
    const s = store();
    await s.put('a', { v: 1 });
    const before = await stat(path);

    await s.put('b', { v: 2 });

    const after = await stat(path);
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'nested'))).toEqual(['secrets.json']);
    expect(await readJson()).toEqual({ a: { v: 1 }, b: { v: 2 } });
  });

  it('keeps every one of many concurrent puts', async () => {
    const s = store();

    await Promise.all(Array.from({ length: 20 }, (_, i) => s.put(`providers/p${i}`, { i })));

    expect(Object.keys(await readJson()).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `providers/p${i}`).sort(),
    );
  });
});
