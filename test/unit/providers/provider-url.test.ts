/** Provider URLs (API base, token endpoint): https anywhere, plain http only to loopback, in the API and every provider. */
import { describe, expect, it } from 'vitest';
import { createIntegrationBody } from '../../../shared/api/integrations.js';
import { ashbySettingsSchema } from '../../../shared/providers/ashby/settings.js';
import { bamboohrSettingsSchema } from '../../../shared/providers/bamboohr/settings.js';
import { PROVIDER_URL_RULE } from '../../../shared/providers/common/provider-url.js';
import { greenhouseSettingsSchema } from '../../../shared/providers/greenhouse/settings.js';
import { leverSettingsSchema } from '../../../shared/providers/lever/settings.js';
import { workdaySettingsSchema } from '../../../shared/providers/workday/settings.js';

const accepted = [
  'https://harvest.greenhouse.io',
  'https://api.example.com:8443/v1',
  'http://127.0.0.1:4010',
  'http://127.8.9.10/base',
  'http://localhost:5000/',
  'http://[::1]:3000/',
];
const refused = [
  'http://api.lever.co/v1',
  'http://10.0.0.5/',
  'http://128.0.0.1/',
  'http://127.0.0.1.nip.io/',
  'http://localhost.example.com/',
  'ftp://127.0.0.1/',
  'not a url',
];

const settingsSchemas = {
  greenhouse: greenhouseSettingsSchema,
  lever: leverSettingsSchema,
  ashby: ashbySettingsSchema,
  bamboohr: bamboohrSettingsSchema,
  workday: workdaySettingsSchema,
};

const createBody = (baseUrl: string) => ({ provider: 'lever', credentials: {}, settings: { baseUrl } });

describe('provider URLs in the admin API', () => {
  it.each(accepted)('accepts %s', (url) => {
    const parsed = createIntegrationBody.safeParse(createBody(url));

    expect(parsed.success).toBe(true);
  });

  it.each(refused)('refuses %s', (url) => {
    const parsed = createIntegrationBody.safeParse(createBody(url));

    expect(parsed.success).toBe(false);
  });

  it('says in the error that plain http is for loopback only', () => {
    const parsed = createIntegrationBody.safeParse(createBody('http://api.lever.co/v1'));

    expect(parsed.error?.issues.map((issue) => issue.message)).toContain(PROVIDER_URL_RULE);
    expect(PROVIDER_URL_RULE).toMatch(/loopback/);
  });
});

describe('provider URLs in every provider settings schema', () => {
  it.each(Object.entries(settingsSchemas))('%s refuses plain http to a remote host', (_, schema) => {
    const parsed = schema.safeParse({ baseUrl: 'http://api.example.com/' });

    expect(parsed.success).toBe(false);
  });

  it.each(Object.entries(settingsSchemas))('%s accepts plain http to loopback', (_, schema) => {
    const parsed = schema.safeParse({ baseUrl: 'http://127.0.0.1:4010/' });

    expect(parsed.error?.issues.filter((issue) => issue.path[0] === 'baseUrl') ?? []).toEqual([]);
  });

  it.each([
    ['greenhouse', greenhouseSettingsSchema],
    ['lever', leverSettingsSchema],
  ] as const)('%s refuses a plain-http token endpoint', (_, schema) => {
    const parsed = schema.safeParse({ authUrl: 'http://auth.example.com/token' });

    expect(parsed.success).toBe(false);
  });
});
