/**
 * The web-identity session behind a chained `AssumeRole` (the `sts:TagSession` case): a caller of
 * type `AssumedRole` whose `sessionContext.webIdFederationData.federatedProvider` is set.
 */
import type { ChainedCall } from '../types.js';
import { asObject, child, items, type JsonObject, text } from './record-fields.js';

/** What a chained call's session tells about the web identity behind it. */
interface ChainedSession {
  /** `webIdFederationData.federatedProvider`: a provider ARN or a bare issuer. */
  readonly provider: string;
  /** From `webIdFederationData.attributes`, when CloudTrail recorded them (often `{}`). */
  readonly aud: string | null;
  readonly sub: string | null;
  readonly chained: ChainedCall;
}

/** An attribute named `claim` or `<issuer>:claim`. */
function attribute(attributes: JsonObject | null, claim: string): string | null {
  if (attributes === null) return null;
  const key = Object.keys(attributes).find((k) => k === claim || k.endsWith(`:${claim}`));
  return key === undefined ? null : text(attributes, key);
}

/** The strings of an array, others skipped. */
function strings(values: readonly unknown[]): string[] {
  return values.filter((v): v is string => typeof v === 'string');
}

/**
 * Reads the web-identity session of a chained `AssumeRole`.
 *
 * @param identity - `userIdentity` of the record
 * @param request - `requestParameters`, or `null`
 * @returns the session, or `null` when the caller is not a session that came from web identity
 *
 * @example
 * ```ts
 * readChainedSession({ type: 'IAMUser' }, null); // null
 * ```
 */
function readChainedSession(
  identity: JsonObject,
  request: JsonObject | null
): ChainedSession | null {
  const context = child(identity, 'sessionContext');
  const webIdentity = child(context, 'webIdFederationData');
  const provider = text(webIdentity, 'federatedProvider');
  if (text(identity, 'type') !== 'AssumedRole' || provider === null) return null;
  const attributes = child(webIdentity, 'attributes');
  return {
    provider,
    aud: attribute(attributes, 'aud'),
    sub: attribute(attributes, 'sub'),
    chained: {
      sessionRoleArn: text(child(context, 'sessionIssuer'), 'arn'),
      sessionArn: text(identity, 'arn'),
      tagKeys: items(request, 'tags').flatMap((tag) => {
        const key = text(asObject(tag), 'key') ?? text(asObject(tag), 'Key');
        return key === null ? [] : [key];
      }),
      transitiveTagKeys: strings(items(request, 'transitiveTagKeys')),
    },
  };
}

export type { ChainedSession };
export { readChainedSession };
