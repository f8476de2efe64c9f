/**
 * The canary's signing key: an RSA key pair made with jose inside the canary's probe function and
 * kept only in Secrets Manager (never in the template, the environment, an output or a log). The
 * probe makes it on its first run when the secret holds none (only the probe makes keys, so two
 * functions can never race to make different ones); the issuer only reads it, and serves only the
 * public half.
 * {@link https://github.com/panva/jose | jose}
 */
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

/** The JWS algorithm of the canary's tokens. */
export const CANARY_ALG = 'RS256';

/** The private JWK members (never served). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** The signing key as the canary uses it. */
export interface CanaryKey {
  readonly kid: string;
  readonly privateJwk: JWK;
}

function isKey(v: unknown): v is CanaryKey {
  if (typeof v !== 'object' || v === null) return false;
  const k = v as { kid?: unknown; privateJwk?: { kty?: unknown; d?: unknown } };
  return (
    typeof k.kid === 'string' && k.privateJwk?.kty === 'RSA' && typeof k.privateJwk.d === 'string'
  );
}

/**
 * The public JWK of `key` (what the JWKS serves): the private members removed, `kid`, `alg` and
 * `use` set.
 */
export function publicJwk(key: CanaryKey): JWK {
  const jwk: Record<string, unknown> = { ...key.privateJwk };
  for (const m of PRIVATE_MEMBERS) delete jwk[m];
  return { ...(jwk as JWK), kid: key.kid, alg: CANARY_ALG, use: 'sig' };
}

/** Makes a new key pair. */
export async function newCanaryKey(kid: string): Promise<CanaryKey> {
  const { privateKey } = await generateKeyPair(CANARY_ALG, {
    extractable: true,
    modulusLength: 2048,
  });
  return { kid, privateJwk: await exportJWK(privateKey) };
}

/** The secret holds no key yet (the probe has not run). */
export class NoCanaryKeyError extends Error {
  constructor(secretId: string) {
    super(`secret ${secretId} holds no canary key yet: the probe makes it on its first run`);
    this.name = 'NoCanaryKeyError';
  }
}

/**
 * Reads the key from the secret. With `newKid` (the probe), makes and stores one when the secret
 * holds none yet; without it (the issuer), throws {@link NoCanaryKeyError}.
 *
 * @param newKid - the key id for a key made now
 */
export async function loadCanaryKey(
  client: SecretsManagerClient,
  secretId: string,
  newKid?: () => string
): Promise<CanaryKey> {
  const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  try {
    const parsed: unknown = JSON.parse(out.SecretString ?? '');
    if (isKey(parsed)) return parsed;
  } catch {
    // A placeholder: make the key below.
  }
  if (newKid === undefined) throw new NoCanaryKeyError(secretId);
  const key = await newCanaryKey(newKid());
  await client.send(
    new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify(key) })
  );
  return key;
}

/** The private key object jose signs with. */
export async function signingKeyOf(key: CanaryKey): Promise<Awaited<ReturnType<typeof importJWK>>> {
  return importJWK(key.privateJwk, CANARY_ALG);
}
