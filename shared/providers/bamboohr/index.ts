/** BambooHR applicant tracking: polling with `newSince`, status writes, employee-scoped signed webhooks. */
import { defineProvider } from '../../ports/provider.js';
import { bamboohrCapabilities, bamboohrPacing } from './capabilities.js';
import { BamboohrClient } from './client.js';
import { bamboohrCredentialsSchema } from './credentials.js';
import { bamboohrSettingsSchema } from './settings.js';
import { toApplication } from './to-application.js';
import { toCandidate } from './to-candidate.js';
import { toJob } from './to-job.js';
import { toWebhookEvents } from './to-webhook-event.js';
import { bamboohrWebhookVerifier } from './webhook.js';

export const provider = defineProvider({
  name: 'bamboohr',
  capabilities: bamboohrCapabilities,
  pacing: bamboohrPacing,
  credentialsSchema: bamboohrCredentialsSchema,
  settingsSchema: bamboohrSettingsSchema,
  // The private key is created by BambooHR and returned once by the webhook create call.
  hubGeneratesWebhookSecret: false,
  createClient: (context) => new BamboohrClient(context),
  webhookVerifier: bamboohrWebhookVerifier,
  mappers: { toJob, toCandidate, toApplication, toWebhookEvents },
});
