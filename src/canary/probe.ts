/**
 * The canary probe: on a schedule, one deliberately denied `sts:AssumeRoleWithWebIdentity` call
 * per monitored account and Region, with a token from the canary issuer for a `sub` the canary
 * role never admits. CloudTrail records each denial in that account and Region; the monitor's
 * rules carry it to the processor, which counts it as `CanaryHeartbeat`. When the count stops, the
 * heartbeat alarm pages: the monitor has gone blind there.
 *
 * The token is never logged. Should a call ever succeed (it cannot: the role's trust policy is
 * unsatisfiable), the credentials are dropped unused and the line says so loudly.
 */

import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SignJWT } from 'jose';
import { canaryClaims } from './claims.js';
import { type CanaryClientTarget, canaryClientConfig } from './client-config.js';
import { CANARY_ALG, type CanaryKey, loadCanaryKey, signingKeyOf } from './signing-key.js';

/** One account and Region to probe: the canary role there, and the STS Region to call. */
export interface ProbeTarget {
  readonly roleArn: string;
  readonly region: string;
}

/** What became of one probe. */
export interface ProbeOutcome {
  readonly account: string;
  readonly region: string;
  /** `denied`: as designed (a CloudTrail record follows); `error`: something else; `assumed`: must never happen. */
  readonly outcome: 'denied' | 'error' | 'assumed';
  readonly error: string | null;
}

/** A log line writer. */
export type ProbeLog = (msg: string, fields: Record<string, unknown>) => void;

/** What the probe needs. */
export interface ProbeDeps {
  readonly secrets: SecretsManagerClient;
  readonly secretId: string;
  /** The issuer URL (`https://<function URL host>`). */
  readonly issuer: string;
  readonly targets: readonly ProbeTarget[];
  /** An STS client for a Region. @default a regional client with {@link canaryClientConfig} */
  readonly sts?: (region: string) => Pick<STSClient, 'send'>;
  /** Where the default STS clients connect and who they are (tests); their timeouts stay. */
  readonly stsTarget?: Omit<CanaryClientTarget, 'region'>;
  readonly log: ProbeLog;
  readonly now: () => number;
  readonly randomId: () => string;
}

const accountOf = (roleArn: string) => roleArn.split(':')[4] ?? '';

/** Signs one canary token. */
export async function signCanaryToken(
  key: CanaryKey,
  issuer: string,
  nowMs: number,
  jti: string
): Promise<string> {
  const claims = canaryClaims(issuer, nowMs, jti);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: CANARY_ALG, kid: key.kid, typ: 'JWT' })
    .sign(await signingKeyOf(key));
}

/**
 * Builds the probe run: the key is loaded (or made) once per function instance.
 *
 * @example
 * ```ts
 * const probe = probeRunner(deps);
 * export const handler = () => probe();
 * ```
 */
export function probeRunner(deps: ProbeDeps): () => Promise<ProbeOutcome[]> {
  let key: Promise<CanaryKey> | null = null;
  const clients = new Map<string, Pick<STSClient, 'send'>>();
  const sts = (region: string) => {
    let c = clients.get(region);
    if (c === undefined) {
      c =
        deps.sts?.(region) ??
        new STSClient(canaryClientConfig('sts', { ...deps.stsTarget, region }));
      clients.set(region, c);
    }
    return c;
  };
  return async () => {
    key ??= loadCanaryKey(deps.secrets, deps.secretId, deps.randomId).catch((e: unknown) => {
      key = null;
      throw e;
    });
    const k = await key;
    return Promise.all(
      deps.targets.map(async (t): Promise<ProbeOutcome> => {
        const base = { account: accountOf(t.roleArn), region: t.region };
        let outcome: ProbeOutcome;
        try {
          const token = await signCanaryToken(k, deps.issuer, deps.now(), deps.randomId());
          await sts(t.region).send(
            new AssumeRoleWithWebIdentityCommand({
              RoleArn: t.roleArn,
              RoleSessionName: 'oidcwatch-canary',
              WebIdentityToken: token,
              DurationSeconds: 900,
            })
          );
          outcome = { ...base, outcome: 'assumed', error: null };
          deps.log('oidcwatch.canary.assumed', {
            ...base,
            level: 'error',
            note: 'the canary role was assumed: its trust policy is broken; the credentials were dropped unused',
          });
        } catch (e) {
          const name = e instanceof Error ? e.name : 'Error';
          outcome = { ...base, outcome: name === 'AccessDenied' ? 'denied' : 'error', error: name };
        }
        deps.log('oidcwatch.canary.probe', { ...outcome });
        return outcome;
      })
    );
  };
}
