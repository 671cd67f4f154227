/** A Lever client on its fake, shared by the Lever client tests: the fake's key and URLs plus the test's settings. */
import { provider } from '../../../shared/providers/lever/index.js';
import type { LeverFake } from '../../fakes/lever/index.js';
import { type ClientOverrides, clientWith } from './client-harness.js';

export const leverClient = (
  fake: LeverFake,
  settings: Record<string, unknown>,
  overrides: ClientOverrides = {},
) =>
  clientWith(
    provider,
    {
      credentials: { apiKey: fake.apiKey },
      settings: { baseUrl: fake.url, authUrl: fake.authUrl, ...settings },
      clock: fake.clock,
    },
    overrides,
  );
