/**
 * The request side of a trust-policy evaluation: who asks, for which action, and what each
 * condition key holds — as far as a CloudTrail record can tell.
 */

/**
 * What a condition key holds for this request.
 * - `present`: the values, `recorded` in the CloudTrail record, `derived` from what it records, or
 *   read from the `token` itself (`oidcwatch doctor`, inside the job);
 * - `absent`: the key is certainly not in the request context (IAM treats it as missing);
 * - `unrecorded`: the token may carry it, but CloudTrail does not record it.
 */
export type KeyLookup =
  | {
      readonly state: 'present';
      readonly values: readonly string[];
      readonly origin: 'recorded' | 'derived' | 'token';
    }
  | { readonly state: 'absent'; readonly reason: string }
  | { readonly state: 'unrecorded'; readonly reason: string };

/** A request to evaluate a trust policy against. */
export interface TrustRequest {
  /** e.g. `sts:AssumeRoleWithWebIdentity`. */
  readonly action: string;
  /** The principal: a provider ARN for web identity, a role ARN for chained `AssumeRole`. */
  readonly principal: { readonly type: 'Federated' | 'AWS'; readonly id: string };
  /** Looks a condition key up (names are case-insensitive). */
  readonly lookup: (key: string) => KeyLookup;
}

/** The account id inside an ARN, or `null`. */
export function arnAccount(arn: string): string | null {
  const parts = arn.split(':');
  const account = parts[4];
  return parts[0] === 'arn' && account !== undefined && /^\d{12}$/.test(account) ? account : null;
}
