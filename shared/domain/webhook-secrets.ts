/**
 * Webhook signing secrets of one integration, with rotation: after a rotation the previous secret stays
 * valid for a grace period, so deliveries signed (or retried) with it are not lost. Pure.
 */
export interface WebhookSecretState {
  current: string;
  previous: { secret: string; validUntil: string }[];
}

export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 60 * 60;

/** Current secret first, then previous ones still inside their grace period. */
export function activeSecrets(state: WebhookSecretState, now: Date): string[] {
  return [
    state.current,
    ...state.previous.filter((p) => Date.parse(p.validUntil) > now.getTime()).map((p) => p.secret),
  ];
}

export function rotateSecret(
  state: WebhookSecretState,
  next: string,
  now: Date,
  graceSeconds = DEFAULT_ROTATION_GRACE_SECONDS,
): WebhookSecretState {
  const validUntil = new Date(now.getTime() + graceSeconds * 1000).toISOString();
  return {
    current: next,
    previous: [
      { secret: state.current, validUntil },
      // expired entries are dropped so the secret does not grow forever
      ...state.previous.filter((p) => Date.parse(p.validUntil) > now.getTime()),
    ],
  };
}

export function isWebhookSecretState(value: unknown): value is WebhookSecretState {
  const v = value as Partial<WebhookSecretState> | undefined;
  return typeof v?.current === 'string' && Array.isArray(v.previous);
}
