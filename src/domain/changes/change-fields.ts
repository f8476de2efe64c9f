/**
 * Field reads for IAM configuration events. Request parameter names are matched regardless of
 * case: CloudTrail spells them in lower camel case (`openIDConnectProviderArn`, `clientIDList`),
 * but exporters and hand-written fixtures vary, and nothing else in a record shares these names.
 */
import { asObject, child, type JsonObject, text } from '../input/record-fields.js';

/** An own property of `object` whose name equals `name` regardless of case. */
export function param(object: JsonObject | null, name: string): unknown {
  if (object === null) return undefined;
  if (Object.hasOwn(object, name)) return object[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(object)) if (key.toLowerCase() === lower) return object[key];
  return undefined;
}

/** {@link param} when it is a non-empty string, else `null`. */
export function paramText(object: JsonObject | null, name: string): string | null {
  const v = param(object, name);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/** {@link param} when it is a list of strings (a lone string counts as one), else `null`. */
export function paramList(object: JsonObject | null, name: string): string[] | null {
  const v = param(object, name);
  if (typeof v === 'string') return v.trim() === '' ? [] : [v.trim()];
  if (!Array.isArray(v)) return null;
  return v
    .filter((x): x is string => typeof x === 'string' && x.trim() !== '')
    .map((x) => x.trim());
}

/** {@link param} as an object, or `null`. */
export function paramObject(object: JsonObject | null, name: string): JsonObject | null {
  return asObject(param(object, name));
}

/**
 * Who made a change: the caller's ARN (a user, an assumed-role session, the root user), else the
 * role behind the session, else the AWS service that called, else the principal id.
 */
export function actorOf(record: JsonObject, account: string): string | null {
  const identity = child(record, 'userIdentity');
  if (identity === null) return null;
  return (
    text(identity, 'arn') ??
    text(child(child(identity, 'sessionContext'), 'sessionIssuer'), 'arn') ??
    text(identity, 'invokedBy') ??
    (text(identity, 'type') === 'Root' ? `arn:aws:iam::${account}:root` : null) ??
    text(identity, 'principalId')
  );
}

/** The partition of the caller's ARN (`aws`, `aws-cn`, `aws-us-gov`); `aws` when unknown. */
export function partitionOf(actor: string | null): string {
  return /^arn:(aws[\w-]*):/.exec(actor ?? '')?.[1] ?? 'aws';
}

/** A provider URL without scheme or trailing slash, as in its ARN. */
export function providerUrlOf(url: string): string {
  return url.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
}
