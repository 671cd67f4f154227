import type { ProviderModule } from '../../ports/provider.js';
import { greenhouseCapabilities } from './capabilities.js';
import { createGreenhouseClient } from './client.js';
import { greenhouseCredentialsSchema } from './credentials.js';
import { greenhouseWebhookVerifier } from './webhook.js';

export const provider: ProviderModule = {
  name: 'greenhouse',
  capabilities: greenhouseCapabilities,
  credentialsSchema: greenhouseCredentialsSchema,
  hubGeneratesWebhookSecret: true,
  createClient: createGreenhouseClient,
  webhookVerifier: greenhouseWebhookVerifier,
};
