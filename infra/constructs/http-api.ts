import type { Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { StageConfig } from '../config/stages.js';
import { acknowledgeGuard } from './guard.js';

/**
 * The HTTP API (payload v2) with its `$default` stage: throttled per stage config, detailed metrics, JSON
 * access logs. Adds its resources straight to `scope` (no construct node of its own, so logical IDs are
 * those the stack always had). Routes are added per function from the topology.
 */
export function addHttpApi(scope: Stack, config: StageConfig): apigw.HttpApi {
  const api = new apigw.HttpApi(scope, 'Api', {
    description: `ATS integration hub (${config.name})`,
    createDefaultStage: false,
  });
  const accessLogs = new logs.LogGroup(scope, 'ApiAccessLogs', {
    retention: config.logRetention,
    removalPolicy: config.removalPolicy,
  });
  acknowledgeGuard(accessLogs, 'CT.CLOUDWATCH.PR.2', 'CT.CLOUDWATCH.PR.3');
  new apigw.HttpStage(scope, 'ApiDefaultStage', {
    httpApi: api,
    stageName: '$default',
    autoDeploy: true,
    throttle: { rateLimit: config.api.throttlingRateLimit, burstLimit: config.api.throttlingBurstLimit },
    detailedMetricsEnabled: true,
    accessLogSettings: {
      destination: new apigw.LogGroupLogDestination(accessLogs),
      // JSON, no query strings or bodies (no personal data in logs)
      format: AccessLogFormat.custom(
        JSON.stringify({
          requestId: '$context.requestId',
          ip: '$context.identity.sourceIp',
          requestTime: '$context.requestTime',
          routeKey: '$context.routeKey',
          status: '$context.status',
          protocol: '$context.protocol',
          responseLength: '$context.responseLength',
          responseLatency: '$context.responseLatency',
          integrationLatency: '$context.integrationLatency',
          integrationError: '$context.integrationErrorMessage',
          userAgent: '$context.identity.userAgent',
        }),
      ),
    },
  });
  return api;
}
