/**
 * `oidcwatch doctor`, without the CLI: inside a GitHub Actions job, get the job's OIDC token,
 * explain it, judge a trust policy (a file, or a role read from IAM with the account's provider
 * checked) with every claim the token carries, and optionally verify its signature.
 */
import type { ActionsTokenRequest } from '../adapters/github/actions-token-client.js';
import type {
  VerificationOutcome,
  VerificationStatus,
  VerifyOptions,
} from '../adapters/github/issuer-jwks-verifier.js';
import type { Cause } from '../domain/causes.js';
import type { Verdict } from '../domain/classify/rule.js';
import { OidcwatchError } from '../domain/errors.js';
import { readTrustPolicy, type TrustPolicy } from '../domain/policy/parse-policy.js';
import {
  type ActionsProblemCode,
  readActionsEnvironment,
} from '../domain/token/actions-environment.js';
import { checkProvider, type ProviderCheck } from '../domain/token/check-provider.js';
import { principalFromPolicy } from '../domain/token/choose-principal.js';
import { decodeToken } from '../domain/token/decode-token.js';
import { providerArnFor } from '../domain/token/explain-issuer.js';
import { explainToken, type TokenExplanation } from '../domain/token/explain-token.js';
import { judgeToken } from '../domain/token/judge-token.js';
import type { EvaluationTrace } from '../domain/types.js';
import type { IamReader } from '../ports.js';

/** What doctor was asked to do. */
export interface DoctorOptions {
  /** The audience to request. @default 'sts.amazonaws.com' (in the CLI) */
  readonly audience: string;
  readonly trustPolicyFile: string | null;
  readonly roleArn: string | null;
  readonly verify: boolean;
}

/** The outside world, injected. */
export interface DoctorDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  readonly fetchToken: (request: ActionsTokenRequest) => Promise<string>;
  readonly verifyToken: (jwt: string, options: VerifyOptions) => Promise<VerificationOutcome>;
  readonly readFile: (path: string) => Promise<string>;
  /** Live IAM (only built for `--role-arn`). */
  readonly iamReader: () => Promise<IamReader>;
}

/** The trust-policy part of the report. */
export interface PolicyCheck {
  readonly source: 'file' | 'iam';
  /** The policy file, or the role ARN. */
  readonly location: string;
  /** The provider ARN presented as `Principal.Federated`. */
  readonly principal: string | null;
  readonly principalNote: string | null;
  /** The account's provider for the token's issuer (`--role-arn` only). */
  readonly provider: ProviderCheck | null;
  /** `true` when STS would admit the token; `null` when IAM could not be read. */
  readonly allowed: boolean | null;
  readonly decision: EvaluationTrace['decision'] | null;
  readonly cause: Cause | null;
  readonly detail: string | null;
  readonly explanation: string | null;
  readonly fix: string | null;
  /** How oidcwatch classifies this denial from CloudTrail, when that differs in what it can see. */
  readonly cloudTrailCause: string | null;
  readonly trace: EvaluationTrace | null;
  /** Why IAM could not be read. */
  readonly error: string | null;
}

/** The signature part of the report. */
export interface VerificationReport {
  readonly status: VerificationStatus | 'unreachable';
  readonly jwksUrl: string | null;
  readonly kid: string | null;
  readonly message: string;
}

/** Everything doctor found. Holds no token. */
export interface DoctorReport {
  readonly audience: string;
  readonly token: TokenExplanation;
  readonly policy: PolicyCheck | null;
  readonly verification: VerificationReport | null;
}

/** What a run gives. */
export type DoctorResult =
  | {
      readonly kind: 'not-ready';
      readonly problem: ActionsProblemCode;
      readonly message: string;
      readonly fix: string;
    }
  | {
      readonly kind: 'report';
      readonly report: DoctorReport;
      /** Services that could not be reached along the way (IAM, the issuer's keys). */
      readonly unreachable: readonly string[];
    };

const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(.+)$/;

function evaluated(
  base: Pick<PolicyCheck, 'source' | 'location' | 'principalNote' | 'provider'>,
  token: TokenExplanation,
  policy: TrustPolicy,
  principal: string,
  document: unknown
): PolicyCheck {
  const j = judgeToken({ token, policy, providerArn: principal, label: base.location, document });
  const verdict: Verdict | null = base.provider?.verdict ?? j.verdict;
  return {
    ...base,
    principal,
    allowed: verdict === null,
    decision: j.decision,
    cause: verdict?.cause ?? null,
    detail: verdict?.detail ?? null,
    explanation: verdict?.explanation ?? null,
    fix: verdict?.fix ?? null,
    cloudTrailCause: base.provider?.verdict ? null : j.cloudTrailCause,
    trace: j.trace,
    error: null,
  };
}

function notEvaluated(
  base: Pick<PolicyCheck, 'source' | 'location' | 'principal' | 'provider'>,
  outcome: { verdict: Verdict } | { error: string }
): PolicyCheck {
  const verdict = 'verdict' in outcome ? outcome.verdict : null;
  return {
    ...base,
    principalNote: null,
    allowed: verdict === null ? null : false,
    decision: null,
    cause: verdict?.cause ?? null,
    detail: verdict?.detail ?? null,
    explanation: verdict?.explanation ?? null,
    fix: verdict?.fix ?? null,
    cloudTrailCause: null,
    trace: null,
    error: 'error' in outcome ? outcome.error : null,
  };
}

async function policyFromFile(
  path: string,
  token: TokenExplanation,
  deps: DoctorDeps
): Promise<PolicyCheck> {
  let text: string;
  try {
    text = await deps.readFile(path);
  } catch (e) {
    throw new OidcwatchError(
      'ERR_INPUT_UNREADABLE',
      `cannot read trust policy ${path}: ${(e as Error).message}`,
      { cause: e }
    );
  }
  const read = readTrustPolicy(text);
  if (!read.ok) throw new OidcwatchError('ERR_TRUST_POLICY_UNREADABLE', `${path}: ${read.reason}`);
  const chosen = principalFromPolicy(read.policy, token.issuer?.url ?? '');
  return evaluated(
    { source: 'file', location: path, principalNote: chosen.note, provider: null },
    token,
    read.policy,
    chosen.arn,
    text
  );
}

async function policyFromIam(
  roleArn: string,
  token: TokenExplanation,
  deps: DoctorDeps,
  unreachable: string[]
): Promise<PolicyCheck> {
  const m = ROLE_ARN.exec(roleArn);
  if (m === null)
    throw new OidcwatchError(
      'ERR_USAGE',
      `doctor: --role-arn "${roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`
    );
  const [, partition = 'aws', account = ''] = m;
  const issuer = token.issuer;
  const fallbackPrincipal = issuer === null ? null : providerArnFor(issuer.url, account, partition);
  const base = { source: 'iam' as const, location: roleArn };
  const reader = await deps.iamReader();
  const [roleRead, providersRead] = await Promise.all([
    reader.getRole(account, roleArn),
    reader.listOidcProviders(account),
  ]);
  if (!roleRead.ok || !providersRead.ok) {
    const error = !roleRead.ok
      ? `reading role ${roleArn}: ${roleRead.reason}`
      : `listing the OIDC providers of ${account}: ${providersRead.ok ? '' : providersRead.reason}`;
    unreachable.push(error);
    return notEvaluated({ ...base, principal: fallbackPrincipal, provider: null }, { error });
  }
  const provider =
    issuer === null
      ? null
      : checkProvider({
          account,
          providers: providersRead.value,
          issuer,
          aud: token.aud[0] ?? null,
        });
  const principal = provider?.provider?.arn ?? fallbackPrincipal ?? '';
  const role = roleRead.value;
  if (role === null)
    return notEvaluated(
      { ...base, principal, provider },
      {
        verdict: provider?.verdict ?? {
          cause: 'ROLE_NOT_FOUND',
          detail: null,
          explanation: `IAM has no role ${roleArn} (account ${account}, as these credentials see it). STS answers AccessDenied for a missing role, exactly as for a trust policy that does not match.`,
          fix: 'Create the role, or correct role-to-assume in the workflow (account id, role name, path).',
        },
      }
    );
  const read = readTrustPolicy(role.trustPolicy);
  if (!read.ok)
    throw new OidcwatchError(
      'ERR_TRUST_POLICY_UNREADABLE',
      `the trust policy of ${roleArn}: ${read.reason}`
    );
  return evaluated(
    { ...base, principalNote: null, provider },
    token,
    read.policy,
    principal,
    role.trustPolicy
  );
}

async function verification(
  jwt: string,
  token: TokenExplanation,
  audience: string,
  deps: DoctorDeps,
  unreachable: string[]
): Promise<VerificationReport> {
  const iss = token.issuer?.iss;
  if (iss === undefined)
    return {
      status: 'invalid',
      jwksUrl: null,
      kid: token.header.kid,
      message: 'the token names no issuer, so there are no keys to verify it with',
    };
  try {
    const v = await deps.verifyToken(jwt, { issuer: iss, audience, currentDate: deps.now() });
    return { status: v.status, jwksUrl: v.jwksUrl, kid: v.kid, message: v.message };
  } catch (e) {
    if (!(e instanceof OidcwatchError) || e.code !== 'ERR_SERVICE_UNREACHABLE') throw e;
    unreachable.push(e.message);
    return { status: 'unreachable', jwksUrl: null, kid: token.header.kid, message: e.message };
  }
}

/**
 * Runs doctor.
 *
 * @throws OidcwatchError `ERR_SERVICE_UNREACHABLE` when no token can be had from the endpoint;
 *   `ERR_INPUT_UNREADABLE` / `ERR_TRUST_POLICY_UNREADABLE` / `ERR_USAGE` for unusable input
 *
 * @example
 * ```ts
 * const result = await runDoctor({ audience: 'sts.amazonaws.com', trustPolicyFile: 'trust.json', roleArn: null, verify: true }, deps);
 * if (result.kind === 'report') result.report.policy?.allowed;
 * ```
 */
export async function runDoctor(options: DoctorOptions, deps: DoctorDeps): Promise<DoctorResult> {
  const env = readActionsEnvironment(deps.env);
  if (!env.ok)
    return { kind: 'not-ready', problem: env.problem, message: env.message, fix: env.fix };
  const jwt = await deps.fetchToken({
    requestUrl: env.requestUrl,
    requestToken: env.requestToken,
    audience: options.audience,
  });
  const decoded = decodeToken(jwt);
  if (!decoded.ok)
    throw new OidcwatchError(
      'ERR_SERVICE_UNREACHABLE',
      `the Actions token endpoint answered with a value that is ${decoded.reason}`
    );
  const token = explainToken(decoded.token, { now: deps.now(), audience: options.audience });
  const unreachable: string[] = [];
  let policy: PolicyCheck | null = null;
  if (options.trustPolicyFile !== null)
    policy = await policyFromFile(options.trustPolicyFile, token, deps);
  else if (options.roleArn !== null)
    policy = await policyFromIam(options.roleArn, token, deps, unreachable);
  const verified = options.verify
    ? await verification(jwt, token, options.audience, deps, unreachable)
    : null;
  return {
    kind: 'report',
    report: { audience: options.audience, token, policy, verification: verified },
    unreachable,
  };
}
