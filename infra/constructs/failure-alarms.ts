import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE, METRIC } from '../../src/domain/metric-names.js';

/** The on-call thresholds (all optional; defaults from the reference sizing). */
export interface FailureAlarmThresholds {
  /**
   * Failed calls per minute that count as a breaching datapoint of the spike alarm. One failing
   * job step makes up to 12 failed calls (the action's retries), so 24 is about two failing jobs.
   *
   * @default 24
   */
  readonly failureSpikeThreshold?: number;
  /**
   * M: breaching one-minute datapoints needed, out of N.
   *
   * @default 3
   */
  readonly failureSpikeDatapoints?: number;
  /**
   * N: one-minute datapoints evaluated.
   *
   * @default 5
   */
  readonly failureSpikeEvaluationPeriods?: number;
  /**
   * Width of the anomaly band in standard deviations (larger: fewer pages).
   *
   * @default 2
   */
  readonly anomalyBandWidth?: number;
  /**
   * Failed calls from the single worst repository in five minutes (Contributor Insights
   * `MaxContributorValue`) that page; 60 is about five failing job steps.
   *
   * @default 60
   */
  readonly runawayRepositoryThreshold?: number;
}

/** Properties of {@link FailureAlarms}. */
export interface FailureAlarmsProps extends FailureAlarmThresholds {
  /** The topic every alarm notifies (on ALARM and on OK). */
  readonly topic: sns.ITopic;
  /** The processor function (errors, throttles). */
  readonly processor: lambda.IFunction;
  /** The dead-letter queue (depth). */
  readonly deadLetterQueue: sqs.IQueue;
  /** Name of the Contributor Insights rule keyed by repository. */
  readonly repositoryRuleName: string;
  /**
   * CloudWatch namespace of the processor's metrics.
   *
   * @default 'OIDCWatch'
   */
  readonly namespace?: string;
  /**
   * Prefix of the alarm names.
   *
   * @default 'oidcwatch'
   */
  readonly namePrefix?: string;
}

/**
 * The on-call alarms: a static failure spike (M of N one-minute datapoints), an anomaly band on
 * failure volume, one runaway repository (Contributor Insights), and processor health (errors,
 * throttles, dead-letter queue depth). Every alarm notifies the topic on ALARM and on OK, and
 * treats missing data as not breaching: the failure metrics only exist when something fails.
 *
 * @example
 * ```ts
 * new FailureAlarms(this, 'Alarms', {
 *   topic, processor: processor.function, deadLetterQueue: dlq.queue,
 *   repositoryRuleName: breakdown.repositoryRule.attrRuleName,
 * });
 * ```
 */
export class FailureAlarms extends Construct {
  /** Static threshold, M of N one-minute datapoints. */
  readonly failureSpike: cloudwatch.Alarm;
  /** Above the anomaly band of failure volume. */
  readonly failureAnomaly: cloudwatch.Alarm;
  /** One repository's failed calls (Contributor Insights `MaxContributorValue`). */
  readonly runawayRepository: cloudwatch.Alarm;
  /** Any processor error. */
  readonly processorErrors: cloudwatch.Alarm;
  /** Any processor throttle. */
  readonly processorThrottles: cloudwatch.Alarm;
  /** Any message in the dead-letter queue. */
  readonly deadLetterQueueDepth: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: FailureAlarmsProps) {
    super(scope, id);
    const prefix = props.namePrefix ?? 'oidcwatch';
    const namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const failures = (period: Duration) =>
      new cloudwatch.Metric({
        namespace,
        metricName: METRIC.AssumeRoleFailures,
        statistic: cloudwatch.Stats.SUM,
        period,
        label: 'Failed role assumptions',
      });
    const notBreaching = cloudwatch.TreatMissingData.NOT_BREACHING;
    const above = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;

    const datapoints = props.failureSpikeDatapoints ?? 3;
    const periods = props.failureSpikeEvaluationPeriods ?? 5;
    const spike = props.failureSpikeThreshold ?? 24;
    this.failureSpike = new cloudwatch.Alarm(this, 'FailureSpike', {
      alarmName: `${prefix}-failure-spike`,
      alarmDescription: `More than ${spike} failed GitHub OIDC role assumptions a minute in ${datapoints} of the last ${periods} minutes. Open the oidcwatch dashboard: the cause and the repository are in "Recent failures".`,
      metric: failures(Duration.minutes(1)),
      threshold: spike,
      comparisonOperator: above,
      datapointsToAlarm: datapoints,
      evaluationPeriods: periods,
      treatMissingData: notBreaching,
    });

    this.failureAnomaly = new cloudwatch.AnomalyDetectionAlarm(this, 'FailureAnomaly', {
      alarmName: `${prefix}-failure-anomaly`,
      alarmDescription:
        'Failed GitHub OIDC role assumptions above the learnt band (hourly, daily and weekly seasonality). The model needs about two weeks of data; exclude incidents from its training.',
      metric: failures(Duration.minutes(5)),
      stdDevs: props.anomalyBandWidth ?? 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: notBreaching,
    });

    const runaway = props.runawayRepositoryThreshold ?? 60;
    this.runawayRepository = new cloudwatch.Alarm(this, 'RunawayRepository', {
      alarmName: `${prefix}-runaway-repository`,
      alarmDescription: `One repository made more than ${runaway} failed role assumptions in five minutes. The "Top repositories" widget and the saved query failures-by-repository name it.`,
      metric: new cloudwatch.MathExpression({
        expression: `INSIGHT_RULE_METRIC('${props.repositoryRuleName}', 'MaxContributorValue')`,
        usingMetrics: {},
        period: Duration.minutes(5),
        label: 'Failed calls of the worst repository',
      }),
      threshold: runaway,
      comparisonOperator: above,
      evaluationPeriods: 1,
      treatMissingData: notBreaching,
    });

    // Processor health: any error, throttle or dead letter in a minute pages.
    const anyInMinute = (
      id: string,
      name: string,
      description: string,
      metric: cloudwatch.IMetric
    ) =>
      new cloudwatch.Alarm(this, id, {
        alarmName: `${prefix}-${name}`,
        alarmDescription: description,
        metric,
        threshold: 0,
        comparisonOperator: above,
        evaluationPeriods: 1,
        treatMissingData: notBreaching,
      });
    const perMinute = (statistic: string) => ({ period: Duration.minutes(1), statistic });

    this.processorErrors = anyInMinute(
      'ProcessorErrors',
      'processor-errors',
      'The oidcwatch processor failed an invocation (the event is retried, then parked in the dead-letter queue). Read its log group for oidcwatch.record_failed.',
      props.processor.metricErrors(perMinute(cloudwatch.Stats.SUM))
    );
    this.processorThrottles = anyInMinute(
      'ProcessorThrottles',
      'processor-throttles',
      'The oidcwatch processor is throttled at its reserved concurrency; events wait in the asynchronous queue (up to the maximum event age) and may reach the dead-letter queue.',
      props.processor.metricThrottles(perMinute(cloudwatch.Stats.SUM))
    );
    this.deadLetterQueueDepth = anyInMinute(
      'DeadLetterQueueDepth',
      'dead-letter-queue',
      'Events wait in the oidcwatch dead-letter queue: they were not processed. Fix the cause, then enable the redrive event source (docs/deploy.md).',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible(
        perMinute(cloudwatch.Stats.MAXIMUM)
      )
    );

    const action = new actions.SnsAction(props.topic);
    for (const alarm of this.all) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }

  /** Every alarm, in dashboard order. */
  get all(): readonly cloudwatch.Alarm[] {
    return [
      this.failureSpike,
      this.failureAnomaly,
      this.runawayRepository,
      this.processorErrors,
      this.processorThrottles,
      this.deadLetterQueueDepth,
    ];
  }
}
