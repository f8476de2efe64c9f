/**
 * The canary's denied call as the processor sees it: a failed `AssumeRoleWithWebIdentity` whose
 * identity provider is the canary issuer the stack owns. Such a record is the monitor's heartbeat
 * (CloudTrail → rule → processor works for its account and Region), never a failure: it is kept out
 * of the failure metrics, the result lines, the alarms and the pages.
 */

/** What the heartbeat records about one canary call. */
export interface CanaryProbe {
  readonly account: string | null;
  readonly region: string | null;
  readonly eventId: string | null;
  readonly eventTime: string | null;
  readonly errorCode: string | null;
  /** Whether CloudTrail logged `requestParameters.roleArn` for this denied call. */
  readonly roleArnLogged: boolean;
  /** Whether it logged `userIdentity.principalId` (the provider, aud and sub). */
  readonly principalIdLogged: boolean;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * The canary probe in `value` (an EventBridge envelope or a bare CloudTrail record), or `null`
 * when it is not the canary's call.
 *
 * @param issuerHost - the canary issuer's host (its OIDC provider is `oidc-provider/<host>`)
 * @example
 * ```ts
 * const probe = canaryProbeOf(event, 'abc.lambda-url.eu-west-1.on.aws');
 * if (probe !== null) metrics.recordCanary(probe);
 * ```
 */
export function canaryProbeOf(value: unknown, issuerHost: string | null): CanaryProbe | null {
  if (issuerHost === null || !isObject(value)) return null;
  const record = isObject(value.detail) ? value.detail : value;
  if (record.eventName !== 'AssumeRoleWithWebIdentity') return null;
  const identity = isObject(record.userIdentity) ? record.userIdentity : {};
  const provider = text(identity.identityProvider) ?? '';
  const principalId = text(identity.principalId);
  const suffix = `oidc-provider/${issuerHost}`;
  const fromCanary =
    provider.endsWith(suffix) ||
    provider === issuerHost ||
    (principalId !== null && principalId.includes(`${suffix}:`));
  if (!fromCanary) return null;
  const params = isObject(record.requestParameters) ? record.requestParameters : {};
  return {
    account: text(record.recipientAccountId) ?? text(value.account),
    region: text(record.awsRegion) ?? text(value.region),
    eventId: text(record.eventID),
    eventTime: text(record.eventTime),
    errorCode: text(record.errorCode),
    roleArnLogged: text(params.roleArn) !== null,
    principalIdLogged: principalId !== null,
  };
}
