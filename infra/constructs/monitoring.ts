import { Duration, type Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { StageConfig } from '../config/stages.js';
import type { StatefulStack } from '../stacks/stateful-stack.js';
import { queues as queueSpecs } from '../topology.js';
import { type HubFunction, METRICS_NAMESPACE } from './hub-function.js';
import { pascal } from './ids.js';

export interface HubMonitoringProps {
  config: StageConfig;
  stateful: StatefulStack;
  api: apigw.HttpApi;
  functions: readonly HubFunction[];
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The alarm topic, the alarms (function errors and throttles, dead-letter queue depth, queue age, API 5xx)
 * and the dashboard. Not a construct node of its own: it adds its resources straight to `scope`, so their
 * logical IDs stay those the stack gave them before this module existed (a new node in the path would
 * replace every alarm and the dashboard on the next deploy).
 */
export class HubMonitoring {
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  private readonly deadLetterQueues: { name: string; queue: sqs.IQueue }[];

  constructor(
    private readonly scope: Stack,
    private readonly props: HubMonitoringProps,
  ) {
    const { config, stateful } = props;
    this.alarmTopic = new sns.Topic(scope, 'AlarmTopic', {
      displayName: `ATS hub ${config.name} alarms`,
      masterKey: stateful.messagingKey,
      enforceSSL: true,
    });
    this.deadLetterQueues = [
      ...queueSpecs.map((q) => ({ name: `${q.name} DLQ`, queue: stateful.queues[q.name].deadLetterQueue })),
      { name: 'failed invocations (schedules, async)', queue: stateful.failedInvocations },
    ];
    this.addAlarms();
    this.dashboard = this.addDashboard();
  }

  private alarm(id: string, props: cloudwatch.AlarmProps): cloudwatch.Alarm {
    const action = new SnsAction(this.alarmTopic);
    const created = new cloudwatch.Alarm(this.scope, id, {
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...props,
    });
    created.addAlarmAction(action);
    created.addOkAction(action);
    this.alarms.push(created);
    return created;
  }

  private addAlarms(): void {
    const { config, stateful, api, functions } = this.props;
    const sum = { period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM };
    for (const fn of functions) {
      const perFunction = [
        {
          id: 'Errors',
          what: 'function errors',
          metric: fn.fn.metricErrors(sum),
          threshold: config.alarms.functionErrors,
        },
        {
          id: 'Throttles',
          what: 'throttled invocations',
          metric: fn.fn.metricThrottles(sum),
          threshold: config.alarms.functionThrottles,
        },
      ];
      for (const { id, what, metric, threshold } of perFunction) {
        this.alarm(`${pascal(fn.spec.name)}${id}Alarm`, {
          alarmDescription: `${fn.spec.name}: ${what}`,
          metric,
          threshold,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
        });
      }
    }
    for (const [i, dlq] of this.deadLetterQueues.entries()) {
      this.alarm(`DeadLetterQueue${i}DepthAlarm`, {
        alarmDescription: `${dlq.name}: messages waiting (docs/reliability.md §1.3: fix the cause, then redrive)`,
        metric: dlq.queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    }
    for (const q of queueSpecs) {
      this.alarm(`${pascal(q.name)}QueueOldestMessageAlarm`, {
        alarmDescription: `${q.name} queue: oldest message older than ${config.alarms.oldestMessageAgeSeconds} s`,
        metric: stateful.queues[q.name].queue.metricApproximateAgeOfOldestMessage({
          period: Duration.minutes(1),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: config.alarms.oldestMessageAgeSeconds,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 5,
      });
    }
    this.alarm('Api5xxAlarm', {
      alarmDescription: 'HTTP API: 5xx responses',
      metric: api.metricServerError({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
      threshold: config.alarms.api5xx,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
  }

  /** One row per concern: header, alarm status, API, functions, queues, database, business metrics. */
  private addDashboard(): cloudwatch.Dashboard {
    const { config, api } = this.props;
    const dashboard = new cloudwatch.Dashboard(this.scope, 'Dashboard', {
      defaultInterval: Duration.hours(3),
    });
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# ATS hub (${config.name})\nAlarms go to the SNS topic in the stack outputs. docs/deploy.md explains each widget.`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 6 }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API requests and errors',
        left: [api.metricCount({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM })],
        right: [
          api.metricClientError({ period: FIVE_MINUTES }),
          api.metricServerError({ period: FIVE_MINUTES }),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'API latency p50 / p95 (ms)',
        left: [
          api.metricLatency({ period: FIVE_MINUTES, statistic: 'p50' }),
          api.metricLatency({ period: FIVE_MINUTES, statistic: 'p95' }),
        ],
        width: 12,
      }),
    );
    dashboard.addWidgets(...this.functionWidgets());
    dashboard.addWidgets(...this.queueWidgets());
    dashboard.addWidgets(...this.databaseWidgets());
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `Hub business metrics (Powertools EMF, namespace ${METRICS_NAMESPACE}) by service`,
        left: [
          new cloudwatch.MathExpression({
            expression: `SEARCH('{${METRICS_NAMESPACE},service}', 'Sum', 300)`,
            label: '',
            period: FIVE_MINUTES,
          }),
        ],
        width: 24,
      }),
    );
    return dashboard;
  }

  private functionWidgets(): cloudwatch.IWidget[] {
    const all = this.props.functions;
    return [
      new cloudwatch.GraphWidget({
        title: 'Function errors',
        left: all.map((fn) => fn.fn.metricErrors({ period: FIVE_MINUTES, label: fn.spec.name })),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Function throttles',
        left: all.map((fn) => fn.fn.metricThrottles({ period: FIVE_MINUTES, label: fn.spec.name })),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Function duration p95 (ms)',
        left: all.map((fn) =>
          fn.fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p95', label: fn.spec.name }),
        ),
        width: 8,
      }),
    ];
  }

  private queueWidgets(): cloudwatch.IWidget[] {
    const { stateful } = this.props;
    return [
      new cloudwatch.GraphWidget({
        title: 'Queue depth (visible)',
        left: queueSpecs.map((q) =>
          stateful.queues[q.name].queue.metricApproximateNumberOfMessagesVisible({ label: q.name }),
        ),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Age of oldest message (s)',
        left: queueSpecs.map((q) =>
          stateful.queues[q.name].queue.metricApproximateAgeOfOldestMessage({ label: q.name }),
        ),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queues (must be 0)',
        left: this.deadLetterQueues.map((d) =>
          d.queue.metricApproximateNumberOfMessagesVisible({ label: d.name }),
        ),
        width: 8,
      }),
    ];
  }

  private databaseWidgets(): cloudwatch.IWidget[] {
    const { stateful } = this.props;
    const proxyMetric = (metricName: string, label: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/RDS',
        metricName,
        dimensionsMap: { ProxyName: stateful.proxy.dbProxyName },
        period: FIVE_MINUTES,
        statistic: cloudwatch.Stats.MAXIMUM,
        label,
      });
    return [
      new cloudwatch.GraphWidget({
        title: 'Database: proxy connections and pinning',
        left: [
          proxyMetric('ClientConnections', 'client connections'),
          proxyMetric('DatabaseConnections', 'database connections'),
          proxyMetric('DatabaseConnectionsCurrentlySessionPinned', 'pinned (should stay ~0)'),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Database: capacity (ACU) and CPU',
        left: [
          stateful.cluster.metric('ServerlessDatabaseCapacity', {
            period: FIVE_MINUTES,
            statistic: cloudwatch.Stats.MAXIMUM,
          }),
        ],
        right: [stateful.cluster.metricCPUUtilization({ period: FIVE_MINUTES })],
        width: 12,
      }),
    ];
  }
}
