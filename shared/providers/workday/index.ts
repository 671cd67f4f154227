/** Workday Recruiting (SOAP): poll-first, no webhooks (providers.md §5). */
import type { ProviderModule } from '../../ports/provider.js';
import { workdayCapabilities } from './capabilities.js';
import { WorkdayClient } from './client.js';
import { workdayCredentialsSchema } from './credentials.js';

export const provider: ProviderModule = {
  name: 'workday',
  capabilities: workdayCapabilities,
  credentialsSchema: workdayCredentialsSchema,
  hubGeneratesWebhookSecret: false,
  createClient: (context) => new WorkdayClient(context),
  // No webhookVerifier: Workday has no signed webhooks; pushes (if a customer builds one) are authenticated at
  // the edge (providers.md §5.6).
};
