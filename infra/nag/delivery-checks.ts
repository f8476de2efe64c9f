/**
 * The oidcwatch delivery rule pack for cdk-nag v3: registered as a CDK validation plugin beside
 * AwsSolutionsChecks, so `cdk synth` fails when the page could not reach a person, an event could
 * not reach the processor, or the monitor could go blind silently. Acknowledge a finding only with
 * a written reason.
 */
import type { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, type NagPackProps } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import {
  AlarmActionDelivery,
  DeadLetterQueueAlarm,
  HeartbeatAlarmBreaching,
  SubscriptionFilterDelivery,
  TargetInvokePermission,
} from './delivery-rules.js';

/** The pack's rule ids are `OidcwatchDelivery-<Rule>[<finding>]`. */
export const DELIVERY_PACK_NAME = 'OidcwatchDelivery';

/**
 * The delivery checks.
 *
 * @example
 * ```ts
 * Validations.of(app).addPlugins(new OidcwatchDeliveryChecks(app));
 * ```
 */
export class OidcwatchDeliveryChecks extends NagPack {
  readonly name = DELIVERY_PACK_NAME;

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = DELIVERY_PACK_NAME;
  }

  protected checkResource(node: CfnResource): void {
    this.applyRule({
      info: 'A CloudWatch alarm notifies a topic that will refuse it.',
      explanation:
        'The topic policy must let cloudwatch.amazonaws.com sns:Publish and the topic key policy must let it kms:GenerateDataKey* and kms:Decrypt, both scoped by aws:SourceAccount and aws:SourceArn; otherwise every alarm action fails, visible only in the alarm history.',
      level: NagMessageLevel.ERROR,
      rule: AlarmActionDelivery,
      node,
    });
    this.applyRule({
      info: 'An SNS subscription filter policy drops messages it is meant to deliver.',
      explanation:
        'Evaluated with SNS semantics (scope, exists, prefix, anything-but, numeric) against the real messages of the topic: CloudWatch alarm notifications carry no message attributes, so an attribute-scoped policy drops them all.',
      level: NagMessageLevel.ERROR,
      rule: SubscriptionFilterDelivery,
      node,
    });
    this.applyRule({
      info: 'An EventBridge rule or SNS subscription targets a function or queue that does not let it deliver.',
      explanation:
        'Lambda needs a lambda:InvokeFunction permission for the service principal from that rule or topic; a queue needs a policy statement for events.amazonaws.com conditioned on the rule.',
      level: NagMessageLevel.ERROR,
      rule: TargetInvokePermission,
      node,
    });
    this.applyRule({
      info: 'A dead-letter queue has no alarm on its depth.',
      explanation:
        'An event parked in a dead-letter queue nobody watches is an event lost: alarm on ApproximateNumberOfMessagesVisible with an action.',
      level: NagMessageLevel.ERROR,
      rule: DeadLetterQueueAlarm,
      node,
    });
    this.applyRule({
      info: 'A canary heartbeat alarm would stay green when the heartbeat stops.',
      explanation:
        'The heartbeat alarm exists to page on silence: it must treat missing data as breaching and have an alarm action.',
      level: NagMessageLevel.ERROR,
      rule: HeartbeatAlarmBreaching,
      node,
    });
  }
}
