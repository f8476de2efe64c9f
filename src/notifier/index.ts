/**
 * The notifier Lambda's composition root: configuration and clients are built once at init; each
 * invocation handles one SNS event from the alarm topic.
 */
import { readNotifierConfig } from './config.js';
import { buildNotifierDeps } from './deps.js';
import { handleSnsEvent } from './handle-event.js';

const deps = buildNotifierDeps(readNotifierConfig(process.env), process.env);

/**
 * The Lambda handler: CloudWatch alarm notifications delivered by SNS. Pages on ALARM with the
 * window's summary, sends the recovery on OK, ignores anything else.
 *
 * @example
 * ```ts
 * await handler(snsEvent); // { paged: 1, recovered: 0, ignored: 0 }
 * ```
 */
export const handler = (event: unknown) => handleSnsEvent(event, deps);
