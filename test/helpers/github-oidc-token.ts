/**
 * GitHub Actions OIDC tokens for tests, signed with keys the test generates: realistic claims (the
 * shape of the example token in GitHub's OIDC documentation), obviously
 * fake values, `exp - iat = 300` and `nbf = iat - 600` as GitHub issues them.
 */
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** A signing key with its public JWK. */
export interface TestKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

/** Generates an RS256 key pair; `kid` is what the token header and the JWKS carry. */
export async function generateTestKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, jwk };
}

/** The clock of `fakeIo()`: 2026-11-27T15:00:00Z. */
export const FAKE_NOW = new Date('2026-11-27T15:00:00Z');

/** What a job's token says, before signing. */
export interface JobSpec {
  readonly iss: string;
  readonly aud?: string;
  /** `owner/name`. @default 'acme-corp/payments-api' */
  readonly repository?: string;
  /** @default 'refs/heads/main' */
  readonly ref?: string;
  /** A job environment (gives the environment form of sub). */
  readonly environment?: string;
  /** @default 'push' */
  readonly eventName?: string;
  /** Use the immutable `owner@ID/repo@ID` sub. */
  readonly immutable?: boolean;
  /** @default the payments-api deploy workflow at refs/heads/main */
  readonly jobWorkflowRef?: string;
  /** Overrides `sub` outright (custom templates). */
  readonly sub?: string;
  /** Issued at (seconds). @default FAKE_NOW - 10 s */
  readonly iat?: number;
}

const OWNER_ID = '190000001';
const REPOSITORY_ID = '820000002';

/** The claims GitHub would put in the job's token. */
export function jobClaims(spec: JobSpec): Record<string, unknown> {
  const repository = spec.repository ?? 'acme-corp/payments-api';
  const [owner = '', name = ''] = repository.split('/');
  const ref = spec.ref ?? 'refs/heads/main';
  const event = spec.eventName ?? 'push';
  const repoSegment = spec.immutable ? `${owner}@${OWNER_ID}/${name}@${REPOSITORY_ID}` : repository;
  const context =
    spec.environment !== undefined
      ? `environment:${spec.environment}`
      : event === 'pull_request'
        ? 'pull_request'
        : `ref:${ref}`;
  const iat = spec.iat ?? Math.floor(FAKE_NOW.getTime() / 1000) - 10;
  const workflow = `${repository}/.github/workflows/deploy.yml@${ref}`;
  return {
    jti: '6f2b1c9e-0c4d-4f7a-9d55-000000000001',
    sub: spec.sub ?? `repo:${repoSegment}:${context}`,
    aud: spec.aud ?? 'sts.amazonaws.com',
    ref,
    sha: '0000000000000000000000000000000000000001',
    repository,
    repository_owner: owner,
    repository_owner_id: OWNER_ID,
    repository_id: REPOSITORY_ID,
    repository_visibility: 'private',
    run_id: '7000000001',
    run_number: '42',
    run_attempt: '1',
    runner_environment: 'github-hosted',
    actor: 'octocat-test',
    actor_id: '5000001',
    workflow: 'deploy',
    head_ref: '',
    base_ref: '',
    event_name: event,
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    ref_protected: 'true',
    ...(spec.environment !== undefined ? { environment: spec.environment } : {}),
    job_workflow_ref: spec.jobWorkflowRef ?? workflow,
    job_workflow_sha: '0000000000000000000000000000000000000001',
    workflow_ref: workflow,
    workflow_sha: '0000000000000000000000000000000000000001',
    check_run_id: '9000000001',
    iss: spec.iss,
    nbf: iat - 600,
    iat,
    exp: iat + 300,
  };
}

/** Signs claims as GitHub does (RS256, `typ: JWT`, the key's `kid`). */
export async function signToken(claims: Record<string, unknown>, key: TestKey): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .sign(key.privateKey);
}
