/** Control-flow errors of the sync engine. None carries record content. */

/** Another piece took the run over (its lease expired); this one stops without effect. */
export class LeaseLostError extends Error {
  constructor(message = 'the run lease was taken over') {
    super(message);
    this.name = 'LeaseLostError';
  }
}

/** The integration's circuit breaker is open: no provider call until `openUntil`. */
export class BreakerOpenError extends Error {
  constructor(readonly openUntil: Date) {
    super(`circuit open until ${openUntil.toISOString()}`);
    this.name = 'BreakerOpenError';
  }
}

/** The integration cannot be synced as configured (missing credentials or provider module). */
export class IntegrationSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntegrationSetupError';
  }
}

/** A message whose work must be retried later: the SQS record is reported failed. */
export class RetryLaterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryLaterError';
  }
}
