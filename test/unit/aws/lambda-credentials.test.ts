import { describe, expect, it } from 'vitest';
import { credentialsFromEnvironment, defaultProvider } from '../../../shared/aws/lambda-credentials.js';

/** The environment-only chain that function bundles use instead of the SDK's Node chains (bundling.ts aliases). */
describe('lambda credentials from the environment', () => {
  it('reads the keys, session token and expiry the Lambda runtime sets', () => {
    const env = {
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
      AWS_CREDENTIAL_EXPIRATION: '2026-12-04T12:00:00Z',
    };

    const credentials = credentialsFromEnvironment(env);

    expect(credentials).toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration: new Date('2026-12-04T12:00:00Z'),
    });
  });

  it('refuses an environment without keys instead of trying other sources', () => {
    expect(() => credentialsFromEnvironment({ AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE' })).toThrow(
      /no AWS credentials/,
    );
  });

  it('gives the SDK a provider that reads the process environment at call time', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'AKIDLATER';
    process.env.AWS_SECRET_ACCESS_KEY = 'later';
    try {
      const credentials = await defaultProvider()();

      expect(credentials.accessKeyId).toBe('AKIDLATER');
    } finally {
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  });
});
