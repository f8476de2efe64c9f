import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE, METRIC } from '../../src/domain/metric-names.js';

/** How CloudWatch names a rule in the `AWS/Events` metrics. */
export interface RuleMetricName {
  readonly ruleName: string;
  /** @default the default bus (no `EventBusName` dimension) */
  readonly eventBusName?: string;
}

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
  /** The queue the rules deliver to and the processor reads (age of the oldest event). */
  readonly intakeQueue: sqs.IQueue;
  /** The dead-letter queue (depth). */
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * The EventBridge rules that deliver to the intake queue (failed and dead-lettered deliveries).
   * Rules on a custom bus need the bus name: CloudWatch publishes their metrics with
   * `EventBusName` and `RuleName`.
   *
   * @default none
   */
  readonly rules?: readonly RuleMetricName[];
  /**
   * How old the oldest event waiting in the intake queue may get before it pages.
   *
   * @default Duration.minutes(5)
   */
  readonly maxIntakeAge?: Duration;
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
 * failure volume (with the minutes without failures filled in as zeros, so the band learns a
 * rate, not the size of bursts), one runaway repository (Contributor Insights), and the health of
 * the path every event takes (processor errors, events waiting too long in the intake queue,
 * rules failing to deliver or dead-lettering, anything in the dead-letter queue). Every paging
 * alarm notifies the topic on ALARM and on OK and treats missing data as not breaching: these
 * metrics only exist when something happens. Throttles do not page: the intake queue holds the
 * events, and the age alarm pages if they wait too long; the throttles alarm is on the dashboard.
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
  /** Any processor throttle (dashboard only: does not page). */
  readonly processorThrottles: cloudwatch.Alarm;
  /** The oldest event in the intake queue waits longer than the bound. */
  readonly intakeAge: cloudwatch.Alarm;
  /** A rule could not deliver an event (permanently failed invocations). */
  readonly ruleDeliveryFailures: cloudwatch.Alarm | undefined;
  /** A rule parked an event in the dead-letter queue. */
  readonly ruleDeadLetters: cloudwatch.Alarm | undefined;
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

    // EMF publishes AssumeRoleFailures only when something fails: FILL(…, 0) gives the band the
    // quiet periods too, so it models the rate rather than the size of the bursts.
    this.failureAnomaly = new cloudwatch.AnomalyDetectionAlarm(this, 'FailureAnomaly', {
      alarmName: `${prefix}-failure-anomaly`,
      alarmDescription:
        'Failed GitHub OIDC role assumptions above the learnt band (hourly, daily and weekly seasonality; periods without failures count as zero). The model needs about two weeks of data; exclude incidents from its training.',
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(failures, 0)',
        usingMetrics: { failures: failures(Duration.minutes(5)) },
        period: Duration.minutes(5),
        label: 'Failed role assumptions (0 when none)',
      }),
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
      'The oidcwatch processor was throttled (account concurrency exhausted). Does not page: events wait in the intake queue; oidcwatch-intake-age pages if they wait too long.',
      props.processor.metricThrottles(perMinute(cloudwatch.Stats.SUM))
    );
    const maxAge = props.maxIntakeAge ?? Duration.minutes(5);
    this.intakeAge = new cloudwatch.Alarm(this, 'IntakeAge', {
      alarmName: `${prefix}-intake-age`,
      alarmDescription: `Events have waited more than ${maxAge.toHumanString()} in the oidcwatch intake queue: the processor is failing, throttled or too slow, and failures are not being diagnosed. Read the processor log group for oidcwatch.record_failed.`,
      metric: props.intakeQueue.metricApproximateAgeOfOldestMessage(
        perMinute(cloudwatch.Stats.MAXIMUM)
      ),
      threshold: maxAge.toSeconds(),
      comparisonOperator: above,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: notBreaching,
    });
    const rules = props.rules ?? [];
    const ruleSum = (metricName: string, label: string) =>
      new cloudwatch.MathExpression({
        expression: rules.map((_, i) => `FILL(r${i}, 0)`).join(' + '),
        usingMetrics: Object.fromEntries(
          rules.map((r, i) => [
            `r${i}`,
            new cloudwatch.Metric({
              namespace: 'AWS/Events',
              metricName,
              dimensionsMap:
                r.eventBusName === undefined
                  ? { RuleName: r.ruleName }
                  : { EventBusName: r.eventBusName, RuleName: r.ruleName },
              ...perMinute(cloudwatch.Stats.SUM),
            }),
          ])
        ),
        period: Duration.minutes(1),
        label,
      });
    this.ruleDeliveryFailures =
      rules.length === 0
        ? undefined
        : anyInMinute(
            'RuleDeliveryFailures',
            'rule-delivery-failures',
            'An oidcwatch EventBridge rule failed to deliver an event to the intake queue (FailedInvocations): a permission or the queue is broken. The rule metrics on the dashboard name the rule.',
            ruleSum('FailedInvocations', 'Failed invocations of the rules')
          );
    this.ruleDeadLetters =
      rules.length === 0
        ? undefined
        : anyInMinute(
            'RuleDeadLetters',
            'rule-dead-letters',
            'An oidcwatch EventBridge rule gave up on an event and parked it in the dead-letter queue (InvocationsSentToDlq). Fix the cause, then replay the queue (docs/deploy.md).',
            ruleSum('InvocationsSentToDlq', 'Events the rules sent to the dead-letter queue')
          );
    this.deadLetterQueueDepth = anyInMinute(
      'DeadLetterQueueDepth',
      'dead-letter-queue',
      'Events wait in the oidcwatch dead-letter queue: they were not processed. Fix the cause, then move them back to the intake queue (docs/deploy.md, "Dead-letter queue and replay").',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible(
        perMinute(cloudwatch.Stats.MAXIMUM)
      )
    );

    const action = new actions.SnsAction(props.topic);
    for (const alarm of this.paging) {
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
      this.intakeAge,
      ...(this.ruleDeliveryFailures === undefined ? [] : [this.ruleDeliveryFailures]),
      ...(this.ruleDeadLetters === undefined ? [] : [this.ruleDeadLetters]),
    ];
  }

  /** The alarms that page (all but the throttles). */
  get paging(): readonly cloudwatch.Alarm[] {
    return this.all.filter((a) => a !== this.processorThrottles);
  }
}
