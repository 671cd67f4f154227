import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../shared/ports/provider.js';
import { resolveServiceUrl } from '../../../shared/providers/workday/client.js';
import { workdayCredentialsSchema, workdayUsername } from '../../../shared/providers/workday/credentials.js';
import { provider } from '../../../shared/providers/workday/index.js';
import { workdaySettingsSchema } from '../../../shared/providers/workday/settings.js';

const settings = (input: Record<string, unknown>) => workdaySettingsSchema.parse(input);

describe('Workday endpoint', () => {
  it('builds the Recruiting service URL from the host, tenant and version', () => {
    expect(resolveServiceUrl(settings({ host: 'wd5-services1.myworkday.com' }), 'acme')).toBe(
      'https://wd5-services1.myworkday.com/ccx/service/acme/Recruiting/v42.1',
    );
  });

  it('appends the service path to a baseUrl origin', () => {
    expect(
      resolveServiceUrl(settings({ baseUrl: 'http://127.0.0.1:4000/', apiVersion: 'v44.0' }), 'acme'),
    ).toBe('http://127.0.0.1:4000/ccx/service/acme/Recruiting/v44.0');
  });

  it('keeps a baseUrl that already is a service URL', () => {
    const url = 'https://impl-services1.workday.com/ccx/service/acme_preview/Recruiting/v41.0';

    expect(resolveServiceUrl(settings({ baseUrl: url }), null)).toBe(url);
  });

  it('refuses to build an endpoint without a tenant', () => {
    expect(() => resolveServiceUrl(settings({ host: 'h.example' }), null)).toThrow(ProviderError);
  });
});

describe('Workday credentials', () => {
  it('accepts an Integration System User', () => {
    expect(
      workdayCredentialsSchema.safeParse({ username: 'isu', password: 'p', tenant: 'acme' }).success,
    ).toBe(true);
  });

  it('accepts a bearer token', () => {
    expect(workdayCredentialsSchema.safeParse({ accessToken: 'token' }).success).toBe(true);
  });

  it('refuses a user without a password', () => {
    expect(workdayCredentialsSchema.safeParse({ username: 'isu', tenant: 'acme' }).success).toBe(false);
  });

  it('adds the tenant suffix to the user name once', () => {
    expect([workdayUsername('isu', 'acme'), workdayUsername('isu@ACME', 'acme')]).toEqual([
      'isu@acme',
      'isu@ACME',
    ]);
  });

  it('reports invalid credentials as an auth error without echoing them', () => {
    let error: unknown;
    try {
      provider.createClient({
        credentials: { username: 'isu-name-123', password: '', tenant: 'tenant-xyz' },
        settings: { host: 'h.example' },
        clock: { now: () => new Date() },
      });
    } catch (caught) {
      error = caught;
    }

    expect({
      kind: error instanceof ProviderError ? error.kind : null,
      echoes: error instanceof Error && /isu-name-123|tenant-xyz/.test(error.message),
    }).toEqual({ kind: 'auth', echoes: false });
  });
});

describe('Workday module', () => {
  it('declares no webhook verifier and does not generate webhook secrets', () => {
    expect({ verifier: provider.webhookVerifier, generates: provider.hubGeneratesWebhookSecret }).toEqual({
      verifier: undefined,
      generates: false,
    });
  });
});
