/**
 * The processor Lambda's composition root: configuration, clients, logger and metrics are built
 * once at init; each invocation runs `handleEvent`.
 */
import type { Context } from 'aws-lambda';
import { readConfig } from './config.js';
import { buildDeps } from './deps.js';
import { handleEvent } from './process-event.js';

const deps = buildDeps(readConfig(process.env), process.env);

/**
 * The Lambda handler: EventBridge events of failed OIDC role assumptions, or an SQS batch redriven
 * from the dead-letter queue.
 *
 * @example
 * ```ts
 * await handler(eventBridgeEvent, context); // one log line and its EMF metrics per record
 * ```
 */
export const handler = (event: unknown, context?: Pick<Context, 'invokedFunctionArn'>) => {
  const account = context?.invokedFunctionArn?.split(':')[4];
  if (account !== undefined) deps.accounts.learnHomeAccount(account);
  return handleEvent(event, deps);
};
