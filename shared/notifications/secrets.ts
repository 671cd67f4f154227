/**
 * Where a webhook subscription's signing secret lives in the secrets store: under the `webhooks` scope of
 * infra/topology.ts (`<SECRETS_PREFIX>/webhooks/…`), next to the providers' inbound webhook secrets, so the
 * existing grants, CDK secret ARN patterns and cdk-nag acknowledgements cover it without a new scope.
 * The value is `{ "secret": "whsec_…" }`.
 */
export const subscriptionSecretName = (subscriptionId: string) => `webhooks/subscriptions/${subscriptionId}`;

export interface SubscriptionSecret {
  secret: string;
}

export function isSubscriptionSecret(value: unknown): value is SubscriptionSecret & Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { secret?: unknown }).secret === 'string' &&
    (value as { secret: string }).secret.length > 0
  );
}
