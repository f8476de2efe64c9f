/**
 * The delivery rules: what AWS enforces on the alarm → topic → subscriber path and on the
 * EventBridge → target edges, which the local emulator does not. Each rule reads the synthesized
 * template of the resource's stack (not a list of our resources) and returns the findings, each
 * naming what is broken. {@link OidcwatchDeliveryChecks} runs them in `cdk synth`.
 */

import { type CfnResource, Stack } from 'aws-cdk-lib';
import { NagRuleCompliance, type NagRuleResult } from 'cdk-nag';
import { alarmNotificationSample, type NotifiedState, pageSamples } from './sample-messages.js';
import {
  FilterPolicyError,
  type FilterPolicyScope,
  matchesFilterPolicy,
} from './sns-filter-policy.js';
import {
  allowsService,
  asList,
  conditionKeys,
  coversAction,
  ofType,
  sameTarget,
  statementsOf,
  type TemplateResource,
  type TemplateResources,
  targetId,
  templateOf,
} from './stack-template.js';

/** A rule: a named function of a resource. */
export type DeliveryRule = (node: CfnResource) => NagRuleResult;

function named(name: string, fn: DeliveryRule): DeliveryRule {
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

function context(
  node: CfnResource
): { t: TemplateResources; id: string; r: TemplateResource } | null {
  const stack = Stack.of(node);
  const t = templateOf(stack);
  const id = stack.resolve(node.logicalId) as string;
  const r = t[id];
  return r === undefined ? null : { t, id, r };
}

const ALARM_ACTIONS: readonly [string, NotifiedState][] = [
  ['AlarmActions', 'ALARM'],
  ['OKActions', 'OK'],
  ['InsufficientDataActions', 'INSUFFICIENT_DATA'],
];

/** The confused-deputy keys every service-principal grant on the path must carry. */
const SCOPE_KEYS = ['aws:sourceaccount', 'aws:sourcearn'];

function scoped(s: { Condition?: Record<string, Record<string, unknown>> }): boolean {
  const keys = conditionKeys(s);
  return SCOPE_KEYS.every((k) => keys.has(k));
}

/**
 * Every alarm action that notifies a topic of the template: the topic policy lets
 * `cloudwatch.amazonaws.com` `sns:Publish`, and the topic's KMS key policy lets it
 * `kms:GenerateDataKey*` and `kms:Decrypt`, each scoped by `aws:SourceAccount` and
 * `aws:SourceArn`. A topic encrypted with `alias/aws/sns` can never receive an alarm.
 * {@link https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger | Alarm not notifying SNS}
 */
export const AlarmActionDelivery = named('AlarmActionDelivery', (node) => {
  if (node.cfnResourceType !== 'AWS::CloudWatch::Alarm') return NagRuleCompliance.NOT_APPLICABLE;
  const c = context(node);
  if (c === null) return NagRuleCompliance.NOT_APPLICABLE;
  const findings = new Set<string>();
  for (const [prop] of ALARM_ACTIONS)
    for (const action of asList(c.r.Properties[prop])) {
      const topicId = targetId(action);
      const topic = topicId === null ? undefined : c.t[topicId];
      if (topicId === null || topic?.Type !== 'AWS::SNS::Topic') continue;
      const policies = ofType(c.t, 'AWS::SNS::TopicPolicy').filter(([, p]) =>
        asList(p.Properties.Topics).some((x) => targetId(x) === topicId)
      );
      const publish = policies
        .flatMap(([, p]) => statementsOf(p.Properties.PolicyDocument))
        .filter(
          (s) => allowsService(s, 'cloudwatch.amazonaws.com') && coversAction(s, 'sns:Publish')
        );
      if (publish.length === 0) findings.add(`${topicId}::NoCloudWatchPublish`);
      else if (!publish.some(scoped)) findings.add(`${topicId}::UnscopedCloudWatchPublish`);
      const keyRef = topic.Properties.KmsMasterKeyId;
      if (keyRef === undefined) continue;
      if (typeof keyRef === 'string' && keyRef.includes('alias/aws/sns')) {
        findings.add(`${topicId}::AwsManagedSnsKey`);
        continue;
      }
      const keyId = targetId(keyRef);
      const key = keyId === null ? undefined : c.t[keyId];
      if (keyId === null || key?.Type !== 'AWS::KMS::Key') continue;
      const use = statementsOf(key.Properties.KeyPolicy).filter(
        (s) =>
          allowsService(s, 'cloudwatch.amazonaws.com') &&
          coversAction(s, 'kms:GenerateDataKey') &&
          coversAction(s, 'kms:Decrypt')
      );
      if (use.length === 0) findings.add(`${keyId}::NoCloudWatchKeyUse`);
      else if (!use.some(scoped)) findings.add(`${keyId}::UnscopedCloudWatchKeyUse`);
    }
  return findings.size === 0 ? NagRuleCompliance.COMPLIANT : [...findings];
});

/** The messages that reach a topic, by who publishes them. */
function messagesTo(t: TemplateResources, topic: unknown, protocol: string) {
  const alarms = ofType(t, 'AWS::CloudWatch::Alarm').filter(([, a]) =>
    asList(a.Properties.AlarmActions).some((x) => sameTarget(x, topic))
  );
  const functions = ofType(t, 'AWS::Lambda::Function').filter(([, f]) => {
    const env =
      (f.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
        ?.Variables ?? {};
    if (!Object.values(env).some((v) => sameTarget(v, topic))) return false;
    const roleId = targetId(f.Properties.Role);
    return ofType(t, 'AWS::IAM::Policy').some(
      ([, p]) =>
        asList(p.Properties.Roles).some((r) => targetId(r) === roleId) &&
        statementsOf(p.Properties.PolicyDocument).some(
          (s) =>
            s.Effect === 'Allow' &&
            coversAction(s, 'sns:Publish') &&
            asList(s.Resource).some((r) => sameTarget(r, topic))
        )
    );
  });
  return {
    alarms: alarms.map(([id, a]) => ({
      id,
      sample: alarmNotificationSample(String(a.Properties.AlarmName ?? id), 'ALARM'),
    })),
    pages: functions.map(([id]) => ({
      id,
      samples: pageSamples('oidcwatch-failure-spike', protocol),
    })),
  };
}

/**
 * Every subscription with a filter policy lets through what reaches its topic and is meant for
 * it: the ALARM notification of every alarm that notifies the topic, and the page of every
 * function of the stack that publishes to it (the notifier), evaluated with SNS's semantics.
 */
export const SubscriptionFilterDelivery = named('SubscriptionFilterDelivery', (node) => {
  if (node.cfnResourceType !== 'AWS::SNS::Subscription') return NagRuleCompliance.NOT_APPLICABLE;
  const c = context(node);
  if (c === null || c.r.Properties.FilterPolicy === undefined)
    return NagRuleCompliance.NOT_APPLICABLE;
  const policy = c.r.Properties.FilterPolicy;
  const scope = (c.r.Properties.FilterPolicyScope ?? 'MessageAttributes') as FilterPolicyScope;
  const { alarms, pages } = messagesTo(
    c.t,
    c.r.Properties.TopicArn,
    String(c.r.Properties.Protocol)
  );
  const findings: string[] = [];
  try {
    for (const a of alarms) {
      if (!matchesFilterPolicy(policy, scope, a.sample).matches)
        findings.push(`${a.id}::AlarmNotificationDropped`);
    }
    for (const p of pages)
      if (!p.samples.some((s) => matchesFilterPolicy(policy, scope, s).matches))
        findings.push(`${p.id}::PagesDropped`);
  } catch (e) {
    if (e instanceof FilterPolicyError) return ['FilterPolicy::Unevaluable'];
    throw e;
  }
  return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
});

function lambdaPermitted(
  t: TemplateResources,
  functionId: string,
  principal: string,
  source: unknown
): boolean {
  return ofType(t, 'AWS::Lambda::Permission').some(
    ([, p]) =>
      targetId(p.Properties.FunctionName) === functionId &&
      coversAction({ Action: p.Properties.Action }, 'lambda:InvokeFunction') &&
      p.Properties.Principal === principal &&
      (p.Properties.SourceArn === undefined || sameTarget(p.Properties.SourceArn, source))
  );
}

function queuePermitted(t: TemplateResources, queueId: string, ruleId: string): boolean {
  return ofType(t, 'AWS::SQS::QueuePolicy').some(
    ([, p]) =>
      asList(p.Properties.Queues).some((q) => targetId(q) === queueId) &&
      statementsOf(p.Properties.PolicyDocument).some(
        (s) =>
          allowsService(s, 'events.amazonaws.com') &&
          coversAction(s, 'sqs:SendMessage') &&
          JSON.stringify(s.Condition ?? {}).includes(`"${ruleId}"`)
      )
  );
}

/**
 * Every EventBridge rule → Lambda or SQS target, and every SNS → Lambda subscription, has the
 * resource policy that lets the service deliver: a `lambda:InvokeFunction` permission for
 * `events.amazonaws.com`/`sns.amazonaws.com` from that rule or topic, or a queue policy statement
 * for `events.amazonaws.com` conditioned on the rule.
 */
export const TargetInvokePermission = named('TargetInvokePermission', (node) => {
  const type = node.cfnResourceType;
  if (type !== 'AWS::Events::Rule' && type !== 'AWS::SNS::Subscription')
    return NagRuleCompliance.NOT_APPLICABLE;
  const c = context(node);
  if (c === null) return NagRuleCompliance.NOT_APPLICABLE;
  const findings: string[] = [];
  if (type === 'AWS::SNS::Subscription') {
    const fnId = c.r.Properties.Protocol === 'lambda' ? targetId(c.r.Properties.Endpoint) : null;
    if (fnId === null || c.t[fnId]?.Type !== 'AWS::Lambda::Function')
      return NagRuleCompliance.NOT_APPLICABLE;
    if (!lambdaPermitted(c.t, fnId, 'sns.amazonaws.com', c.r.Properties.TopicArn))
      findings.push(`${fnId}::NoSnsInvokePermission`);
  } else {
    for (const target of asList(c.r.Properties.Targets) as { Arn?: unknown }[]) {
      const id = targetId(target.Arn);
      const kind = id === null ? undefined : c.t[id]?.Type;
      if (
        id !== null &&
        kind === 'AWS::Lambda::Function' &&
        !lambdaPermitted(c.t, id, 'events.amazonaws.com', { 'Fn::GetAtt': [c.id, 'Arn'] })
      )
        findings.push(`${id}::NoEventsInvokePermission`);
      if (id !== null && kind === 'AWS::SQS::Queue' && !queuePermitted(c.t, id, c.id))
        findings.push(`${id}::NoEventsQueuePolicy`);
    }
  }
  return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
});

/** Whether a queue of the template is used as a dead-letter queue. */
function isDeadLetterQueue(t: TemplateResources, queueId: string): boolean {
  const refs = (v: unknown) => targetId(v) === queueId;
  for (const r of Object.values(t)) {
    const p = r.Properties;
    if (
      r.Type === 'AWS::SQS::Queue' &&
      refs((p.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined)?.deadLetterTargetArn)
    )
      return true;
    if (
      r.Type === 'AWS::Events::Rule' &&
      (asList(p.Targets) as { DeadLetterConfig?: { Arn?: unknown } }[]).some((x) =>
        refs(x.DeadLetterConfig?.Arn)
      )
    )
      return true;
    if (
      r.Type === 'AWS::Lambda::EventInvokeConfig' &&
      refs(
        (p.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)?.OnFailure
          ?.Destination
      )
    )
      return true;
    if (
      r.Type === 'AWS::Lambda::Function' &&
      refs((p.DeadLetterConfig as { TargetArn?: unknown } | undefined)?.TargetArn)
    )
      return true;
  }
  return false;
}

/**
 * Every dead-letter queue has an alarm on its depth with an action: an event parked where nobody
 * looks is an event lost.
 */
export const DeadLetterQueueAlarm = named('DeadLetterQueueAlarm', (node) => {
  if (node.cfnResourceType !== 'AWS::SQS::Queue') return NagRuleCompliance.NOT_APPLICABLE;
  const c = context(node);
  if (c === null || !isDeadLetterQueue(c.t, c.id)) return NagRuleCompliance.NOT_APPLICABLE;
  const watched = ofType(c.t, 'AWS::CloudWatch::Alarm').some(
    ([, a]) =>
      a.Properties.Namespace === 'AWS/SQS' &&
      a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
      asList(a.Properties.Dimensions).some(
        (d) => targetId((d as { Value?: unknown }).Value) === c.id
      ) &&
      a.Properties.AlarmActions !== undefined
  );
  return watched ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});

/**
 * Every alarm on the canary heartbeat treats missing data as breaching and has an action: the
 * heartbeat's absence is what it must page on, and with `notBreaching` (or `missing`, which keeps
 * the last state) a monitor gone blind would stay green.
 */
export const HeartbeatAlarmBreaching = named('HeartbeatAlarmBreaching', (node) => {
  if (node.cfnResourceType !== 'AWS::CloudWatch::Alarm') return NagRuleCompliance.NOT_APPLICABLE;
  const c = context(node);
  if (c === null) return NagRuleCompliance.NOT_APPLICABLE;
  const p = c.r.Properties;
  const metrics = [
    p,
    ...(asList(p.Metrics) as { MetricStat?: { Metric?: Record<string, unknown> } }[]).map(
      (m) => m.MetricStat?.Metric ?? {}
    ),
  ];
  if (!metrics.some((m) => (m as Record<string, unknown>).MetricName === 'CanaryHeartbeat'))
    return NagRuleCompliance.NOT_APPLICABLE;
  const findings: string[] = [];
  if (p.TreatMissingData !== 'breaching') findings.push(`${c.id}::MissingDataNotBreaching`);
  if (asList(p.AlarmActions).length === 0) findings.push(`${c.id}::NoAlarmAction`);
  return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
});
