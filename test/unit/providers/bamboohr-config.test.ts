import { describe, expect, it } from 'vitest';
import { formatNewSince, resolveApiBase } from '../../../shared/providers/bamboohr/client.js';
import { bamboohrCredentialsSchema } from '../../../shared/providers/bamboohr/credentials.js';
import { provider } from '../../../shared/providers/bamboohr/index.js';
import { bamboohrSettingsSchema } from '../../../shared/providers/bamboohr/settings.js';

describe('BambooHR endpoint', () => {
  it('defaults to the public gateway under the company domain', () => {
    expect(resolveApiBase(bamboohrSettingsSchema.parse({}), 'acme')).toBe(
      'https://api.bamboohr.com/api/gateway.php/acme/v1',
    );
  });

  it('keeps the company-domain path under an overriding origin', () => {
    expect(resolveApiBase(bamboohrSettingsSchema.parse({ baseUrl: 'http://127.0.0.1:5000/' }), 'acme')).toBe(
      'http://127.0.0.1:5000/api/gateway.php/acme/v1',
    );
  });

  it('keeps an overriding URL that already carries the gateway path', () => {
    const baseUrl = 'https://proxy.example/api/gateway.php/acme/v1';

    expect(resolveApiBase(bamboohrSettingsSchema.parse({ baseUrl }), 'other')).toBe(baseUrl);
  });
});

describe('BambooHR newSince', () => {
  it('formats UTC as YYYY-MM-DD HH:MM:SS', () => {
    expect(formatNewSince(new Date('2024-01-01T13:00:00.999Z'))).toBe('2024-01-01 13:00:00');
  });
});

describe('BambooHR credentials', () => {
  it('accepts an API key, a company domain and an optional webhook private key', () => {
    expect(
      bamboohrCredentialsSchema.safeParse({ apiKey: 'k', companyDomain: 'acme-co', webhookSecret: 's' })
        .success,
    ).toBe(true);
  });

  it('refuses a company domain that is not a subdomain label', () => {
    expect(bamboohrCredentialsSchema.safeParse({ apiKey: 'k', companyDomain: 'acme/../x' }).success).toBe(
      false,
    );
  });
});

describe('BambooHR module', () => {
  it('verifies webhooks with a BambooHR-created key', () => {
    expect({
      verifier: provider.webhookVerifier !== undefined,
      generates: provider.hubGeneratesWebhookSecret,
    }).toEqual({
      verifier: true,
      generates: false,
    });
  });
});
