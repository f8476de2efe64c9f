/**
 * Turns the plain-object patterns of `src/domain/event-pattern.ts` into the CDK's `EventPattern`,
 * so the rules are built from the same definition the tests match envelopes against.
 */
import type { EventPattern } from 'aws-cdk-lib/aws-events';

/** The shape of a pattern in `src/domain/event-pattern.ts`. */
export interface PlainEventPattern {
  readonly source: readonly string[];
  readonly 'detail-type': readonly string[];
  readonly detail: Readonly<Record<string, unknown>>;
}

/**
 * The CDK form of a plain pattern (`detail-type` becomes `detailType`; arrays are copied, so the
 * `as const` originals stay untouched).
 *
 * @example
 * ```ts
 * new events.Rule(this, 'Rule', { eventPattern: toEventPattern(WEB_IDENTITY_FAILURE_PATTERN) });
 * ```
 */
export function toEventPattern(pattern: PlainEventPattern): EventPattern {
  return {
    source: [...pattern.source],
    detailType: [...pattern['detail-type']],
    detail: structuredClone(pattern.detail) as Record<string, unknown>,
  };
}
