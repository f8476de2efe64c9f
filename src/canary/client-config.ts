/**
 * The canary's AWS clients, bounded like every client of oidcwatch: a hung Secrets Manager or STS
 * ends the probe's call (an `error` outcome, logged) or the issuer's answer well within the
 * function's timeout, instead of the function timing out with nothing said.
 */
import {
  type BoundedRequestHandler,
  boundedRequestHandler,
} from '../adapters/aws-client-config.js';

/** Timeouts and attempts of the canary's AWS calls. */
export const CANARY_AWS_CALLS = {
  attempts: 2,
  connectMs: 1_000,
  /** Secrets Manager answers at once; the issuer must answer STS within its own 10 s. */
  secretsRequestMs: 3_000,
  /** STS fetches the issuer's discovery document and JWKS before it answers. */
  stsRequestMs: 10_000,
} as const;

/** Where a client connects and who it is (tests); the timeouts are the canary's own. */
export interface CanaryClientTarget {
  readonly region?: string;
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * The settings of the canary's Secrets Manager or STS client.
 *
 * @example
 * ```ts
 * const secrets = new SecretsManagerClient(canaryClientConfig('secrets'));
 * const sts = new STSClient(canaryClientConfig('sts', { region: 'eu-west-1' }));
 * ```
 */
export function canaryClientConfig(
  service: 'secrets' | 'sts',
  target: CanaryClientTarget = {}
): CanaryClientTarget & { maxAttempts: number; requestHandler: BoundedRequestHandler } {
  const requestMs =
    service === 'sts' ? CANARY_AWS_CALLS.stsRequestMs : CANARY_AWS_CALLS.secretsRequestMs;
  return {
    ...target,
    maxAttempts: CANARY_AWS_CALLS.attempts,
    requestHandler: boundedRequestHandler(requestMs, CANARY_AWS_CALLS.connectMs),
  };
}
