import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Properties of {@link IntakeQueue}. */
export interface IntakeQueueProps {
  /** Where an event goes after `maxReceiveCount` failed attempts. */
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * Attempts at an event before it is parked in the dead-letter queue (the receive limit: a
   * replayed event that still fails goes back there, it does not loop).
   *
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * At least six times the processor's timeout (AWS's advice for an SQS event source).
   *
   * @default Duration.minutes(3)
   */
  readonly visibilityTimeout?: Duration;
}

/**
 * The queue between the EventBridge rules and the processor. The processor reads it through an
 * SQS event source whose maximum concurrency caps how many instances run (and so how many cold
 * IAM caches read IAM at once) without reserving concurrency, which a new account's low quota
 * cannot spare. Failed events are retried by visibility timeout, then parked in the dead-letter
 * queue after `maxReceiveCount` receives. Encrypted with SQS-managed keys (EventBridge can write
 * to it without a key policy), TLS enforced.
 * {@link https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html#events-sqs-max-concurrency | Maximum concurrency for SQS event sources}
 *
 * @example
 * ```ts
 * const intake = new IntakeQueue(this, 'Intake', { deadLetterQueue: dlq.queue });
 * new events.Rule(this, 'Rule', { eventPattern, targets: [new targets.SqsQueue(intake.queue)] });
 * ```
 */
export class IntakeQueue extends Construct {
  /** The queue. */
  readonly queue: sqs.Queue;
  /** Receives before an event is parked. */
  readonly maxReceiveCount: number;

  constructor(scope: Construct, id: string, props: IntakeQueueProps) {
    super(scope, id);
    this.maxReceiveCount = props.maxReceiveCount ?? 5;
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      visibilityTimeout: props.visibilityTimeout ?? Duration.minutes(3),
      deadLetterQueue: { queue: props.deadLetterQueue, maxReceiveCount: this.maxReceiveCount },
    });
  }
}
