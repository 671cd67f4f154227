import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One Powertools metrics instance per execution environment (EMF to CloudWatch). Dimensions and values are
 * routes, status classes and counts only, never personal data. POWERTOOLS_METRICS_DISABLED silences it
 * locally and in tests.
 */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'AtsHub',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'ats-hub',
});
