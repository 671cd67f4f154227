import type { ProviderModule } from '../../ports/provider.js';
import { leverCapabilities } from './capabilities.js';
import { createLeverClient } from './client.js';
import { leverCredentialsSchema } from './credentials.js';
import { leverWebhookVerifier } from './webhook.js';

export const provider: ProviderModule = {
  name: 'lever',
  capabilities: leverCapabilities,
  credentialsSchema: leverCredentialsSchema,
  // Lever generates the signing token in its settings; the hub stores the one it is given.
  hubGeneratesWebhookSecret: false,
  createClient: createLeverClient,
  webhookVerifier: leverWebhookVerifier,
};
