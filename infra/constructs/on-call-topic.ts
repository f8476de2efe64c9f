import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { allowAlarmsToPublish } from '../lib/alarm-publish-grant.js';

/** Properties of {@link OnCallTopic}. */
export interface OnCallTopicProps {
  /**
   * An existing topic to page (e.g. the one wired to the on-call tool). When set, no topic and no
   * key are created and `email` is still subscribed to it.
   *
   * @default a new encrypted topic
   */
  readonly existingTopicArn?: string;
  /**
   * An e-mail address to subscribe (the subscription must be confirmed from the e-mail): it gets
   * the raw CloudWatch alarm notifications, a fallback that does not depend on the notifier.
   *
   * @default no subscription
   */
  readonly email?: string;
  /**
   * Prefix of the names of the alarms that may publish to a created topic (`<prefix>-*`).
   *
   * @default 'oidcwatch'
   */
  readonly alarmNamePrefix?: string;
  /**
   * Name of a created topic.
   *
   * @default 'oidcwatch-on-call'
   */
  readonly topicName?: string;
}

/**
 * The SNS topic the alarms notify. A created topic is encrypted with a customer-managed KMS key
 * (rotated): alarms cannot publish to a topic encrypted with the AWS-managed `alias/aws/sns` key.
 * Its topic policy enforces TLS and lets this account's oidcwatch alarms publish; its key policy
 * lets the same alarms use the key (both scoped by `aws:SourceAccount` and `aws:SourceArn`). An
 * existing topic's policies are the operator's: they must allow the same.
 *
 * @example
 * ```ts
 * const onCall = new OnCallTopic(this, 'OnCall', { email: 'oncall@example.com' });
 * alarm.addAlarmAction(new actions.SnsAction(onCall.topic));
 * ```
 */
export class OnCallTopic extends Construct {
  /** The topic the alarms notify. */
  readonly topic: sns.ITopic;

  constructor(scope: Construct, id: string, props: OnCallTopicProps = {}) {
    super(scope, id);
    if (props.existingTopicArn !== undefined) {
      this.topic = sns.Topic.fromTopicArn(this, 'Topic', props.existingTopicArn);
    } else {
      const key = new kms.Key(this, 'Key', {
        description: 'oidcwatch on-call topic encryption',
        enableKeyRotation: true,
        pendingWindow: Duration.days(7),
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const topic = new sns.Topic(this, 'Topic', {
        topicName: props.topicName ?? 'oidcwatch-on-call',
        displayName: 'oidcwatch on-call',
        masterKey: key,
        enforceSSL: true,
      });
      allowAlarmsToPublish(topic, key, props.alarmNamePrefix ?? 'oidcwatch');
      this.topic = topic;
    }
    if (props.email !== undefined)
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }
}
