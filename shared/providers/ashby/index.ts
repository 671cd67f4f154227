import type { ProviderModule } from '../../ports/provider.js';
import { ashbyCapabilities } from './capabilities.js';
import { createAshbyClient } from './client.js';
import { ashbyCredentialsSchema } from './credentials.js';
import { ashbyWebhookVerifier } from './webhook.js';

export const provider: ProviderModule = {
  name: 'ashby',
  capabilities: ashbyCapabilities,
  credentialsSchema: ashbyCredentialsSchema,
  hubGeneratesWebhookSecret: true,
  createClient: createAshbyClient,
  webhookVerifier: ashbyWebhookVerifier,
};
