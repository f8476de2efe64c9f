/**
 * The annotator Lambda's composition root: configuration and clients are built once at init;
 * each invocation is a CloudWatch Logs delivery of the processor's failure lines (intake) or a
 * batch of the work queue (annotation).
 */
import { readAnnotatorConfig } from './config.js';
import { buildAnnotatorDeps } from './deps.js';
import { handleAnnotatorEvent } from './handle-event.js';

const deps = buildAnnotatorDeps(readAnnotatorConfig(process.env), process.env);

/**
 * The Lambda handler. For the work queue it answers SQS partial batch responses.
 *
 * @example
 * ```ts
 * await handler(sqsEvent); // { batchItemFailures: [] }
 * ```
 */
export const handler = async (event: unknown) => {
  const summary = await handleAnnotatorEvent(event, deps);
  return summary.source === 'queue' ? { batchItemFailures: summary.batchItemFailures } : summary;
};
