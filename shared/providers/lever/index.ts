/** Lever (docs/providers.md §3): offset pages, a delete feed, guarded writes, webhooks signed in the body. */
import { defineProvider } from '../../ports/provider.js';
import { leverCapabilities, leverPacing } from './capabilities.js';
import { createLeverClient } from './client.js';
import { leverCredentialsSchema } from './credentials.js';
import { leverSettingsSchema } from './settings.js';
import { toApplication } from './to-application.js';
import { toAttachments, toCandidate } from './to-candidate.js';
import { toInterview } from './to-interview.js';
import { toJob } from './to-job.js';
import { toNote } from './to-note.js';
import { toOffer } from './to-offer.js';
import { toRejectionReason } from './to-rejection-reason.js';
import { toScorecard } from './to-scorecard.js';
import { toWebhookEvents } from './to-webhook-event.js';
import { leverWebhookVerifier } from './webhook.js';

export const provider = defineProvider({
  name: 'lever',
  capabilities: leverCapabilities,
  pacing: leverPacing,
  credentialsSchema: leverCredentialsSchema,
  settingsSchema: leverSettingsSchema,
  // Lever generates the signing token in its settings; the hub stores the one it is given.
  hubGeneratesWebhookSecret: false,
  createClient: createLeverClient,
  webhookVerifier: leverWebhookVerifier,
  mappers: {
    toJob,
    toCandidate,
    toAttachments,
    toApplication,
    toRejectionReason,
    toInterview,
    toScorecard,
    toOffer,
    toNote,
    toWebhookEvents,
  },
});
