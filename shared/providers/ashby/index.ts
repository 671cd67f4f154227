/**
 * Ashby (docs/providers.md §4): RPC reads with sync tokens, stage and archive writes, body-signed webhooks, and the
 * full ATS record (§4.6): archive reasons, interviews, feedback, offers; notes and tags written back.
 */
import { defineProvider } from '../../ports/provider.js';
import { ashbyCapabilities, ashbyPacing } from './capabilities.js';
import { createAshbyClient } from './client.js';
import { ashbyCredentialsSchema } from './credentials.js';
import { ashbySettingsSchema } from './settings.js';
import { toApplication } from './to-application.js';
import { toCandidate } from './to-candidate.js';
import { toInterviews } from './to-interview.js';
import { toJob } from './to-job.js';
import { toNote } from './to-note.js';
import { toOffer } from './to-offer.js';
import { toRejectionReason } from './to-rejection-reason.js';
import { toScorecard } from './to-scorecard.js';
import { toWebhookEvents } from './to-webhook-event.js';
import { ashbyWebhookVerifier } from './webhook.js';

export const provider = defineProvider({
  name: 'ashby',
  capabilities: ashbyCapabilities,
  pacing: ashbyPacing,
  credentialsSchema: ashbyCredentialsSchema,
  settingsSchema: ashbySettingsSchema,
  // Ashby's secret token is optional on its side; the hub makes one so every delivery is signed.
  hubGeneratesWebhookSecret: true,
  createClient: createAshbyClient,
  webhookVerifier: ashbyWebhookVerifier,
  mappers: {
    toJob,
    toCandidate,
    toApplication,
    toRejectionReason,
    toInterviews,
    toScorecard,
    toOffer,
    toNote,
    toWebhookEvents,
  },
});
