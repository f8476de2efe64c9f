import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Properties of {@link DeadLetterQueue}. */
export interface DeadLetterQueueProps {
  /**
   * How long a message waits to be inspected or redriven.
   *
   * @default Duration.days(14) (the SQS maximum)
   */
  readonly retentionPeriod?: Duration;
  /**
   * Visibility timeout; must be at least six times the consumer's timeout when the queue is
   * redriven through a Lambda event source.
   *
   * @default Duration.minutes(5)
   */
  readonly visibilityTimeout?: Duration;
}

/**
 * An SQS dead-letter queue for events that could not be delivered or processed: encrypted at rest
 * with SQS-managed keys (which EventBridge and Lambda destinations can write to without a key
 * policy), TLS enforced by the queue policy.
 *
 * @example
 * ```ts
 * const dlq = new DeadLetterQueue(this, 'DeadLetterQueue');
 * new targets.LambdaFunction(fn, { deadLetterQueue: dlq.queue });
 * ```
 */
export class DeadLetterQueue extends Construct {
  /** The queue. */
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps = {}) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.retentionPeriod ?? Duration.days(14),
      visibilityTimeout: props.visibilityTimeout ?? Duration.minutes(5),
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue (of EventBridge targets and a Lambda on-failure destination); a queue behind it would only move the same messages again. Its depth is alarmed on.',
    });
  }
}
