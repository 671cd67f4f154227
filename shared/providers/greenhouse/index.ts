/** Greenhouse Harvest (docs/providers.md §2): Harvest v3 reads and writes, body-signed webhooks. */
import { defineProvider } from '../../ports/provider.js';
import { greenhouseCapabilities, greenhousePacing } from './capabilities.js';
import { createGreenhouseClient } from './client.js';
import { greenhouseCredentialsSchema } from './credentials.js';
import { greenhouseSettingsSchema } from './settings.js';
import { toApplication } from './to-application.js';
import { toCandidate } from './to-candidate.js';
import { toInterview } from './to-interview.js';
import { toJob } from './to-job.js';
import { toNote } from './to-note.js';
import { toOffer } from './to-offer.js';
import { toRejectionReason } from './to-rejection-reason.js';
import { toScorecard } from './to-scorecard.js';
import { toWebhookEvents } from './to-webhook-event.js';
import { greenhouseWebhookVerifier } from './webhook.js';

export const provider = defineProvider({
  name: 'greenhouse',
  capabilities: greenhouseCapabilities,
  pacing: greenhousePacing,
  credentialsSchema: greenhouseCredentialsSchema,
  settingsSchema: greenhouseSettingsSchema,
  // The secret key is typed into Greenhouse's webhook settings: the hub makes one when none is given.
  hubGeneratesWebhookSecret: true,
  createClient: createGreenhouseClient,
  webhookVerifier: greenhouseWebhookVerifier,
  mappers: {
    toJob,
    toCandidate,
    toApplication,
    toRejectionReason,
    toInterview,
    toScorecard,
    toOffer,
    toNote,
    toWebhookEvents,
  },
});
