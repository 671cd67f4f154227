/** Names in the secrets store (prefixed by SECRETS_PREFIX); CDK grants each function one of these prefixes. */
export const providerCredentialsSecret = (integrationId: string) => `integrations/${integrationId}`;
export const webhookSecretName = (integrationId: string) => `webhooks/${integrationId}`;
