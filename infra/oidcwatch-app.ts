/**
 * The stacks of an oidcwatch deployment, from validated settings: the monitor (central account),
 * the StackSet-ready forwarder and read-role templates, and, when member accounts and Regions are
 * listed, one forwarder per member account × Region and one read role per member account.
 */
import type { App, Environment } from 'aws-cdk-lib';
import { ContextError, type OidcwatchContext } from './context.js';
import { DEFAULT_CENTRAL_EVENT_BUS_NAME } from './defaults.js';
import { ForwarderStack } from './stacks/forwarder-stack.js';
import { MonitorStack } from './stacks/monitor-stack.js';
import { ReadRoleStack } from './stacks/read-role-stack.js';

/** The stacks added to the app. */
export interface OidcwatchStacks {
  readonly monitor: MonitorStack;
  /**
   * Environment-agnostic templates (StackSets, or `cdk deploy` with parameters); only when
   * member accounts can send to the central bus (an organisation or listed accounts).
   */
  readonly forwarderTemplate: ForwarderStack | undefined;
  readonly readRoleTemplate: ReadRoleStack | undefined;
  /** Per member account × Region. */
  readonly forwarders: readonly ForwarderStack[];
  /** Per member account. */
  readonly readRoles: readonly ReadRoleStack[];
}

/**
 * Adds the oidcwatch stacks to `app`.
 *
 * @example
 * ```ts
 * const app = new App();
 * addOidcwatchStacks(app, readContext(app.node, process.env));
 * ```
 */
export function addOidcwatchStacks(app: App, settings: OidcwatchContext): OidcwatchStacks {
  const { centralAccount, centralRegion } = settings;
  const perMemberStacks = settings.memberAccounts.length > 0 && settings.memberRegions.length > 0;
  if (perMemberStacks && (centralAccount === undefined || centralRegion === undefined))
    throw new ContextError(
      'memberAccounts and memberRegions need the central account and Region: set context "centralAccount" and "centralRegion" (or run with AWS credentials so the CDK knows the default environment)'
    );
  const centralEnv: Environment | undefined =
    centralAccount === undefined && centralRegion === undefined
      ? undefined
      : { account: centralAccount, region: centralRegion };
  const monitor = new MonitorStack(app, 'OidcwatchMonitor', {
    env: centralEnv,
    onCallEmail: settings.email,
    alarmTopicArn: settings.alarmTopicArn,
    pagerDutyRoutingKeySecret: settings.pagerDutyRoutingKeySecret,
    organizationId: settings.organizationId,
    memberAccounts: settings.memberAccounts,
    readRoleName: settings.readRoleName,
    namespace: settings.namespace,
    owners: settings.owners,
    thresholds: settings.thresholds,
    reservedConcurrency: settings.reservedConcurrency,
    processorConcurrency: settings.processorConcurrency,
    canaryTargets: settings.canaryTargets,
    logRetention: settings.logRetention,
    annotator: settings.annotator,
  });

  const centralEventBusArn =
    centralAccount !== undefined && centralRegion !== undefined
      ? `arn:aws:events:${centralRegion}:${centralAccount}:event-bus/${DEFAULT_CENTRAL_EVENT_BUS_NAME}`
      : undefined;
  // Without an organisation or member accounts the bus admits no other account: a forwarder
  // template would have every forward denied, so none is made (a single-account deployment).
  const members = settings.organizationId !== undefined || settings.memberAccounts.length > 0;
  const forwarderTemplate = members
    ? new ForwarderStack(app, 'OidcwatchForwarder', { centralEventBusArn })
    : undefined;
  const readRoleProps = {
    processorAccountId: centralAccount,
    readRoleName: settings.readRoleName,
    canaryIssuerHost: settings.canaryIssuerHost,
  };
  const readRoleTemplate = members
    ? new ReadRoleStack(app, 'OidcwatchReadRole', readRoleProps)
    : undefined;

  const forwarders: ForwarderStack[] = [];
  const readRoles: ReadRoleStack[] = [];
  if (perMemberStacks) {
    // The central account's other Regions need forwarders too, listed or not.
    const accounts = [...new Set([...settings.memberAccounts, centralAccount as string])];
    for (const account of accounts) {
      for (const region of settings.memberRegions) {
        // The monitor's own rules already cover its account and Region.
        if (account === centralAccount && region === centralRegion) continue;
        forwarders.push(
          new ForwarderStack(app, `OidcwatchForwarder-${account}-${region}`, {
            env: { account, region },
            centralEventBusArn,
          })
        );
      }
      // The processor reads its own account with its own role.
      if (account !== centralAccount && settings.memberAccounts.includes(account))
        readRoles.push(
          new ReadRoleStack(app, `OidcwatchReadRole-${account}`, {
            env: { account, region: settings.memberRegions[0] },
            ...readRoleProps,
          })
        );
    }
  }
  return { monitor, forwarderTemplate, readRoleTemplate, forwarders, readRoles };
}
