/** Workday Recruiting (SOAP): poll-first, no webhooks (docs/providers.md §5). */
import { defineProvider } from '../../ports/provider.js';
import { workdayCapabilities, workdayPacing } from './capabilities.js';
import { WorkdayClient } from './client.js';
import { workdayCredentialsSchema } from './credentials.js';
import { workdaySettingsSchema } from './settings.js';
import { toApplications } from './to-application.js';
import { toCandidate } from './to-candidate.js';
import { toJob } from './to-job.js';

export const provider = defineProvider({
  name: 'workday',
  capabilities: workdayCapabilities,
  pacing: workdayPacing,
  credentialsSchema: workdayCredentialsSchema,
  settingsSchema: workdaySettingsSchema,
  hubGeneratesWebhookSecret: false,
  createClient: (context) => new WorkdayClient(context),
  // No webhookVerifier: Workday has no signed webhooks; pushes (if a customer builds one) are authenticated at
  // the edge (docs/providers.md §5.6).
  mappers: { toJob, toCandidate, toApplications },
});
