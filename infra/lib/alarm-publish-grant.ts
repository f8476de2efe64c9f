/**
 * What a CloudWatch alarm needs to notify an SNS topic, in one place for every topic the stack's
 * alarms notify: `sns:Publish` in the topic policy and, for an SSE-KMS topic, `kms:Decrypt` and
 * `kms:GenerateDataKey*` in the key policy, both for `cloudwatch.amazonaws.com` and both scoped to
 * this account's alarms of one name prefix (`aws:SourceAccount`, `aws:SourceArn`), so that the
 * service cannot be used to publish on behalf of another account's alarms (confused deputy).
 *
 * A topic policy replaces SNS's default policy, so a topic with `enforceSSL` (a Deny-only policy)
 * refuses every alarm until this statement is added.
 * {@link https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger | Alarm not notifying SNS}
 * {@link https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services | Encrypted topics and AWS event sources}
 * {@link https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html | SNS access control examples}
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { IConstruct } from 'constructs';

/** The CloudWatch alarms service principal. */
export const CLOUDWATCH_PRINCIPAL = 'cloudwatch.amazonaws.com';

/** The conditions that limit the principal to this account's alarms named `<prefix>-…`. */
export function alarmSourceConditions(
  scope: IConstruct,
  alarmNamePrefix: string
): Record<string, Record<string, string>> {
  const stack = Stack.of(scope);
  return {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: {
      'aws:SourceArn': stack.formatArn({
        service: 'cloudwatch',
        resource: 'alarm',
        resourceName: `${alarmNamePrefix}-*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    },
  };
}

/**
 * Lets this account's CloudWatch alarms named `<alarmNamePrefix>-…` publish to `topic` (encrypted
 * with `key`, when given).
 *
 * @example
 * ```ts
 * allowAlarmsToPublish(topic, key, 'oidcwatch');
 * ```
 */
export function allowAlarmsToPublish(
  topic: sns.Topic,
  key: kms.IKey | undefined,
  alarmNamePrefix: string
): void {
  const conditions = alarmSourceConditions(topic, alarmNamePrefix);
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowThisAccountsAlarmsToPublish',
      principals: [new iam.ServicePrincipal(CLOUDWATCH_PRINCIPAL)],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions,
    })
  );
  key?.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowThisAccountsAlarmsToUseTheTopicKey',
      principals: [new iam.ServicePrincipal(CLOUDWATCH_PRINCIPAL)],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions,
    })
  );
}
