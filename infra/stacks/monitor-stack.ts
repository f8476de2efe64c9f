import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { DEFAULT_NAMESPACE } from '../../src/domain/metric-names.js';
import { Annotator, withAnnotationsWidget } from '../constructs/annotator.js';
import { Canary, type CanaryTarget } from '../constructs/canary.js';
import { CanaryRole } from '../constructs/canary-role.js';
import { CentralEventBus } from '../constructs/central-event-bus.js';
import { ChangeTable } from '../constructs/change-table.js';
import { ConfigurationChangeRule } from '../constructs/configuration-change-rule.js';
import { DeadLetterQueue } from '../constructs/dead-letter-queue.js';
import { FailureAlarms, type FailureAlarmThresholds } from '../constructs/failure-alarms.js';
import { FailureDashboard } from '../constructs/failure-dashboard.js';
import { FailureRules } from '../constructs/failure-rules.js';
import { IntakeQueue } from '../constructs/intake-queue.js';
import { Notifier } from '../constructs/notifier.js';
import { OnCallTopic } from '../constructs/on-call-topic.js';
import { ProcessorFunction } from '../constructs/processor-function.js';
import { RepositoryBreakdown } from '../constructs/repository-breakdown.js';
import type { AnnotatorContext } from '../context.js';
import {
  DEFAULT_CENTRAL_EVENT_BUS_NAME,
  DEFAULT_NAME_PREFIX,
  DEFAULT_PROCESSOR_ROLE_NAME,
  DEFAULT_READ_ROLE_NAME,
} from '../defaults.js';
import { causeLegend, loadDashboardTemplate } from '../lib/dashboard-template.js';

/** Properties of {@link MonitorStack}. */
export interface MonitorStackProps extends StackProps {
  /**
   * E-mail address subscribed to the on-call pages (the notifier's summary of each alarm).
   *
   * @default no subscription
   */
  readonly onCallEmail?: string;
  /**
   * Secrets Manager secret (name or ARN) holding a PagerDuty Events API v2 routing key: the
   * notifier then also posts each page to PagerDuty's Events API (docs/on-call.md).
   *
   * @default no PagerDuty events
   */
  readonly pagerDutyRoutingKeySecret?: string;
  /**
   * An existing SNS topic for the alarms (e.g. wired to the paging tool).
   *
   * @default a new encrypted topic
   */
  readonly alarmTopicArn?: string;
  /**
   * AWS Organizations id; the central bus admits every account of it.
   *
   * @default the bus admits `memberAccounts` only
   */
  readonly organizationId?: string;
  /**
   * Member accounts whose read role the processor may assume (and, without an organisation, that
   * may send to the central bus).
   *
   * @default [] (the read role name in any account)
   */
  readonly memberAccounts?: readonly string[];
  /** @default 'oidcwatch-read' */
  readonly readRoleName?: string;
  /** @default 'oidcwatch-processor' */
  readonly processorRoleName?: string;
  /** @default 'oidcwatch' */
  readonly centralEventBusName?: string;
  /** @default 'OIDCWatch' */
  readonly namespace?: string;
  /**
   * Prefix of named resources (alarms, rules, dashboard, Contributor Insights rules, queries).
   *
   * @default 'oidcwatch'
   */
  readonly namePrefix?: string;
  /**
   * GitHub owners the roles are meant for.
   *
   * @default [] (inferred per account)
   */
  readonly owners?: readonly string[];
  /** @default the defaults of {@link FailureAlarmThresholds} */
  readonly thresholds?: FailureAlarmThresholds;
  /**
   * Processor instances at most (the intake queue's event source): caps the IAM reads of cold
   * caches in a burst without reserving concurrency.
   *
   * @default 5
   */
  readonly processorConcurrency?: number;
  /** @default none (see {@link ProcessorFunctionProps.reservedConcurrency}) */
  readonly reservedConcurrency?: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The GitHub annotator: posts each failing job's diagnosis on its GitHub Actions run, as a
   * GitHub App (docs/annotator.md).
   *
   * @default no annotator
   */
  readonly annotator?: AnnotatorContext;
  /**
   * The accounts and Regions the canary probes (each account needs the canary role: this stack
   * makes it in its own account, the read-role stack in member accounts); `[]`: no canary.
   *
   * @default this stack's account and Region
   */
  readonly canaryTargets?: readonly CanaryTarget[];
}

/**
 * The central oidcwatch stack: the rules that catch failed OIDC role assumptions (on this
 * account's default bus and on the central bus the member accounts forward to), the processor,
 * its dead-letter queue, the per-repository breakdown, the on-call alarms and the dashboard.
 *
 * @example
 * ```ts
 * new MonitorStack(app, 'OidcwatchMonitor', { onCallEmail: 'oncall@example.com', organizationId: 'o-a1b2c3d4e5' });
 * ```
 */
export class MonitorStack extends Stack {
  /** The processor Lambda. */
  readonly processor: ProcessorFunction;
  /** Undeliverable and failed events (rule DLQ and the intake queue's redrive target). */
  readonly deadLetterQueue: DeadLetterQueue;
  /** What the rules deliver and the processor reads. */
  readonly intake: IntakeQueue;
  /** The rules on this account's default bus. */
  readonly localRules: FailureRules;
  /** The bus the member accounts forward to. */
  readonly centralBus: CentralEventBus;
  /** The rules on the central bus. */
  readonly centralRules: FailureRules;
  /** Recent IAM configuration changes, for correlation with failures. */
  readonly changeTable: ChangeTable;
  /** IAM configuration changes of this account (enabled in us-east-1, where IAM delivers them). */
  readonly localChangeRule: ConfigurationChangeRule;
  /** IAM configuration changes forwarded from the member accounts' us-east-1 forwarders. */
  readonly centralChangeRule: ConfigurationChangeRule;
  /** The topic the alarms notify. */
  readonly onCall: OnCallTopic;
  /** Contributor Insights rules and saved queries. */
  readonly breakdown: RepositoryBreakdown;
  /** The on-call alarms. */
  readonly alarms: FailureAlarms;
  /** The dashboard. */
  readonly dashboard: FailureDashboard;
  /** Turns alarm notifications into pages that say what broke. */
  readonly notifier: Notifier;
  /** Posts diagnoses on the failing GitHub Actions runs, when configured. */
  readonly annotator: Annotator | undefined;
  /** The dead man's switch, unless disabled. */
  readonly canary: Canary | undefined;
  /** The canary role and provider of this account. */
  readonly canaryRole: CanaryRole | undefined;

  constructor(scope: Construct, id: string, props: MonitorStackProps = {}) {
    super(scope, id, {
      description: 'oidcwatch: diagnoses failed GitHub Actions to AWS OIDC role assumptions',
      ...props,
    });
    const prefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
    const namespace = props.namespace ?? DEFAULT_NAMESPACE;

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue');
    this.intake = new IntakeQueue(this, 'Intake', { deadLetterQueue: this.deadLetterQueue.queue });
    this.processor = new ProcessorFunction(this, 'Processor', {
      namespace,
      readRoleName: props.readRoleName ?? DEFAULT_READ_ROLE_NAME,
      roleName: props.processorRoleName ?? DEFAULT_PROCESSOR_ROLE_NAME,
      functionName: `${prefix}-processor`,
      owners: props.owners,
      reservedConcurrency: props.reservedConcurrency,
      logRetention: props.logRetention,
    });
    this.processor.grantReadIamTrust();
    this.processor.grantAssumeReadRole({
      accounts: props.memberAccounts ?? [],
      organizationId: props.organizationId,
    });
    this.processor.consume(this.intake.queue, props.processorConcurrency ?? 5);
    this.changeTable = new ChangeTable(this, 'ChangeTable', { tableName: `${prefix}-changes` });
    this.processor.recordChangesIn(this.changeTable);

    // EventBridge retries a failed delivery for up to 24 h (185 attempts), then parks the event.
    const target = new targets.SqsQueue(this.intake.queue, {
      deadLetterQueue: this.deadLetterQueue.queue,
      retryAttempts: 185,
      maxEventAge: Duration.hours(24),
    });
    this.localRules = new FailureRules(this, 'LocalRules', {
      target,
      ruleNamePrefix: prefix,
      purpose: 'this account',
    });
    this.centralBus = new CentralEventBus(this, 'CentralBus', {
      eventBusName: props.centralEventBusName ?? DEFAULT_CENTRAL_EVENT_BUS_NAME,
      memberSources: ['aws.sts', 'aws.iam'],
      organizationId: props.organizationId,
      memberAccounts: props.memberAccounts,
    });
    this.centralRules = new FailureRules(this, 'CentralRules', {
      target,
      eventBus: this.centralBus.eventBus,
      ruleNamePrefix: `${prefix}-central`,
      purpose: 'forwarded from member accounts',
    });
    // IAM is global: its CloudTrail events reach EventBridge in us-east-1 only. The local rule is
    // enabled only there; from elsewhere they arrive on the central bus via us-east-1 forwarders.
    this.localChangeRule = new ConfigurationChangeRule(this, 'LocalChangeRule', {
      target,
      ruleName: `${prefix}-configuration-changes`,
      purpose: 'this account',
      onlyInIamEventsRegion: true,
    });
    this.centralChangeRule = new ConfigurationChangeRule(this, 'CentralChangeRule', {
      target,
      eventBus: this.centralBus.eventBus,
      ruleName: `${prefix}-central-configuration-changes`,
      purpose: 'forwarded from member accounts',
    });

    const busName = props.centralEventBusName ?? DEFAULT_CENTRAL_EVENT_BUS_NAME;
    const localNames = namesOf(this.localRules);
    const centralNames = namesOf(this.centralRules);
    this.onCall = new OnCallTopic(this, 'OnCall', {
      existingTopicArn: props.alarmTopicArn,
      topicName: `${prefix}-on-call`,
      alarmNamePrefix: prefix,
      // The raw alarm reaches a person even when the notifier does not.
      email: props.onCallEmail,
    });
    this.breakdown = new RepositoryBreakdown(this, 'RepositoryBreakdown', {
      logGroup: this.processor.logGroup,
      namePrefix: prefix,
    });
    this.alarms = new FailureAlarms(this, 'Alarms', {
      ...props.thresholds,
      topic: this.onCall.topic,
      processor: this.processor.function,
      intakeQueue: this.intake.queue,
      deadLetterQueue: this.deadLetterQueue.queue,
      rules: [
        ...Object.values(localNames).map((ruleName) => ({ ruleName })),
        ...Object.values(centralNames).map((ruleName) => ({ ruleName, eventBusName: busName })),
      ],
      repositoryRuleName: this.breakdown.repositoryRule.attrRuleName,
      namespace,
      namePrefix: prefix,
    });

    this.dashboard = new FailureDashboard(this, 'Dashboard', {
      dashboardName: `${prefix}-failures`,
      ...(props.annotator === undefined
        ? {}
        : { template: withAnnotationsWidget(loadDashboardTemplate()) }),
      values: {
        Region: this.region,
        Namespace: namespace,
        NamePrefix: prefix,
        LogGroupName: this.processor.logGroup.logGroupName,
        RepositoryRuleName: this.breakdown.repositoryRule.attrRuleName,
        RepositoryCauseRuleName: this.breakdown.repositoryCauseRule.attrRuleName,
        ProcessorFunctionName: this.processor.function.functionName,
        DeadLetterQueueName: this.deadLetterQueue.queue.queueName,
        // The names, not `Ref`: a rule on a custom bus has `Ref` = `bus|rule`.
        WebIdentityRuleName: localNames.webIdentity,
        ChainedAssumeRoleRuleName: localNames.chainedAssumeRole,
        CentralEventBusName: busName,
        CentralWebIdentityRuleName: centralNames.webIdentity,
        CentralChainedAssumeRoleRuleName: centralNames.chainedAssumeRole,
        AnomalyBandWidth: `${props.thresholds?.anomalyBandWidth ?? 2}`,
        FailureSpikeAlarmArn: this.alarms.failureSpike.alarmArn,
        FailureAnomalyAlarmArn: this.alarms.failureAnomaly.alarmArn,
        RunawayRepositoryAlarmArn: this.alarms.runawayRepository.alarmArn,
        ProcessorErrorsAlarmArn: this.alarms.processorErrors.alarmArn,
        ProcessorThrottlesAlarmArn: this.alarms.processorThrottles.alarmArn,
        DeadLetterQueueAlarmArn: this.alarms.deadLetterQueueDepth.alarmArn,
        CauseLegend: causeLegend(),
      },
    });

    this.notifier = new Notifier(this, 'Notifier', {
      alarmTopic: this.onCall.topic,
      processorLogGroup: this.processor.logGroup,
      insightRuleName: this.breakdown.repositoryCauseRule.attrRuleName,
      dashboardName: `${prefix}-failures`,
      email: props.onCallEmail,
      pagerDuty:
        props.pagerDutyRoutingKeySecret === undefined
          ? undefined
          : { routingKeySecret: props.pagerDutyRoutingKeySecret },
      namespace,
      namePrefix: prefix,
      logRetention: props.logRetention,
    });
    this.annotator =
      props.annotator === undefined
        ? undefined
        : new Annotator(this, 'Annotator', {
            processorLogGroup: this.processor.logGroup,
            appId: props.annotator.appId,
            privateKeySecret: props.annotator.privateKeySecret,
            apiUrl: props.annotator.apiUrl,
            pullRequestComments: props.annotator.pullRequestComments,
            alarmTopic: this.onCall.topic,
            namespace,
            namePrefix: prefix,
            logRetention: props.logRetention,
          });

    const canaryTargets = props.canaryTargets ?? [{ account: this.account, region: this.region }];
    if (canaryTargets.length > 0) {
      this.canary = new Canary(this, 'Canary', {
        targets: canaryTargets,
        topic: this.onCall.topic,
        namespace,
        namePrefix: prefix,
        logRetention: props.logRetention,
      });
      this.canaryRole = new CanaryRole(this, 'CanaryRole', { issuerHost: this.canary.issuerHost });
      this.processor.function.addEnvironment(
        'OIDCWATCH_CANARY_ISSUER_HOST',
        this.canary.issuerHost
      );
      new CfnOutput(this, 'CanaryIssuerHost', {
        description:
          'Give it to the member read-role stacks (CanaryIssuerHost parameter, or -c canaryIssuerHost=…)',
        value: this.canary.issuerHost,
      });
    }

    new CfnOutput(this, 'PageTopicArn', {
      description: 'Subscribe on-call e-mail, AWS Chatbot or queues here (docs/on-call.md)',
      value: this.notifier.pageTopic.topicArn,
    });

    new CfnOutput(this, 'CentralEventBusArn', {
      description: 'Target of the member accounts forwarder rules (CentralEventBusArn parameter)',
      value: this.centralBus.eventBus.eventBusArn,
    });
    new CfnOutput(this, 'ProcessorRoleArn', {
      description: 'The role each member account read role trusts',
      value: this.processor.role.roleArn,
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.onCall.topic.topicArn });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.deadLetterQueue.queue.queueUrl });
    new CfnOutput(this, 'IntakeQueueArn', {
      description: 'Where to move dead-lettered events back to (docs/deploy.md)',
      value: this.intake.queue.queueArn,
    });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards/dashboard/${prefix}-failures`,
    });
  }
}

function namesOf(rules: FailureRules): NonNullable<FailureRules['ruleNames']> {
  if (rules.ruleNames === null) throw new Error('the monitor names its rules (ruleNamePrefix)');
  return rules.ruleNames;
}
