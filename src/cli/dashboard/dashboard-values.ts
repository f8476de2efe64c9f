/**
 * The dashboard's placeholder values for a monitor deployed with the default names (as
 * `infra/stacks/monitor-stack.ts` names its resources from the name prefix), so `oidcwatch
 * dashboard` prints the body the stack deploys. Values CloudFormation generates (the dead-letter
 * queue's name) or that need the account (alarm ARNs) are `null` unless given.
 */
import { causeLegend, type PartialDashboardValues } from '../../../infra/lib/dashboard-template.js';

/** What the body is rendered for. */
export interface DashboardTarget {
  readonly region: string;
  readonly namespace: string;
  /** The stack's `namePrefix`. */
  readonly namePrefix: string;
  /** The central event bus name. */
  readonly eventBusName: string;
  /** The monitor's account: the alarm widget needs it (alarm ARNs). */
  readonly account: string | null;
  /** The dead-letter queue's name (CloudFormation generates it; the stack outputs its URL). */
  readonly deadLetterQueue: string | null;
  /** The anomaly band width of the failure-anomaly alarm. */
  readonly anomalyBandWidth: number;
}

/** The AWS partition of a Region (`cn-north-1` → `aws-cn`). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Every placeholder's value for `target`. */
export function dashboardValues(t: DashboardTarget): PartialDashboardValues {
  const p = t.namePrefix;
  const alarm = (name: string) =>
    t.account === null
      ? null
      : `arn:${partitionOf(t.region)}:cloudwatch:${t.region}:${t.account}:alarm:${p}-${name}`;
  return {
    Region: t.region,
    Namespace: t.namespace,
    NamePrefix: p,
    LogGroupName: `/aws/lambda/${p}-processor`,
    RepositoryRuleName: `${p}-failures-by-repository`,
    RepositoryCauseRuleName: `${p}-failures-by-repository-cause`,
    ProcessorFunctionName: `${p}-processor`,
    DeadLetterQueueName: t.deadLetterQueue,
    WebIdentityRuleName: `${p}-web-identity-failures`,
    ChainedAssumeRoleRuleName: `${p}-chained-assume-role-failures`,
    CentralEventBusName: t.eventBusName,
    CentralWebIdentityRuleName: `${p}-central-web-identity-failures`,
    CentralChainedAssumeRoleRuleName: `${p}-central-chained-assume-role-failures`,
    AnomalyBandWidth: String(t.anomalyBandWidth),
    FailureSpikeAlarmArn: alarm('failure-spike'),
    FailureAnomalyAlarmArn: alarm('failure-anomaly'),
    RunawayRepositoryAlarmArn: alarm('runaway-repository'),
    ProcessorErrorsAlarmArn: alarm('processor-errors'),
    ProcessorThrottlesAlarmArn: alarm('processor-throttles'),
    DeadLetterQueueAlarmArn: alarm('dead-letter-queue'),
    CauseLegend: causeLegend(),
  };
}
