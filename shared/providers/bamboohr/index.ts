/** BambooHR applicant tracking: polling with `newSince`, status writes, employee-scoped signed webhooks. */
import type { ProviderModule } from '../../ports/provider.js';
import { bamboohrCapabilities } from './capabilities.js';
import { BamboohrClient } from './client.js';
import { bamboohrCredentialsSchema } from './credentials.js';
import { bamboohrWebhookVerifier } from './webhook.js';

export const provider: ProviderModule = {
  name: 'bamboohr',
  capabilities: bamboohrCapabilities,
  credentialsSchema: bamboohrCredentialsSchema,
  // The private key is created by BambooHR and returned once by the webhook create call.
  hubGeneratesWebhookSecret: false,
  createClient: (context) => new BamboohrClient(context),
  webhookVerifier: bamboohrWebhookVerifier,
};
