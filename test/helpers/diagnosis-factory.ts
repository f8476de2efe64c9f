/**
 * Builds realistic `Diagnosis` values (the `oidcwatch classify --json` line) for report tests:
 * real-shaped ARNs and subjects, cause/detail codes from causes.ts, and failing jobs that retry
 * 12 times spaced like `configure-aws-credentials`' backoff.
 */
import type { Cause } from '../../src/domain/causes.js';
import type { Remedy } from '../../src/domain/remedy/remedy-types.js';
import type { Diagnosis } from '../../src/domain/types.js';

/** The account most fixtures live in. */
export const ACCOUNT = '111122223333';

/** The GitHub OIDC provider ARN of {@link ACCOUNT}. */
export const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;

/** `arn:aws:iam::111122223333:role/<name>`. */
export function roleArn(name: string, account = ACCOUNT): string {
  return `arn:aws:iam::${account}:role/${name}`;
}

/**
 * Offsets in ms of each attempt from the first, as `configure-aws-credentials` spaces them: after
 * attempt r it sleeps `random() * 2^r * 50 ms`. `jitter` stands for `random()`: 0.5 is the
 * expected spacing (~102 s for 12 attempts), 1 the longest (~205 s).
 */
export function retryOffsetsMs(attempts = 12, jitter = 0.5): number[] {
  const offsets = [0];
  for (let r = 1; r < attempts; r += 1) {
    offsets.push((offsets[r - 1] ?? 0) + jitter * 2 ** r * 50);
  }
  return offsets;
}

let sequence = 0;

/** A deterministic, CloudTrail-looking event id. */
function nextEventId(): string {
  sequence += 1;
  const hex = sequence.toString(16).padStart(12, '0');
  return `5f0c1a2b-3c4d-4e5f-8a9b-${hex}`;
}

/** The explanation and fix classify would give, by cause/detail, for a repository and role. */
export function explain(
  cause: Cause,
  detail: string | null,
  ctx: { repository: string | null; sub: string | null; role: string | null }
): { explanation: string; fix: string | null } {
  const role = ctx.role?.split('/').pop() ?? 'the role';
  const repo = ctx.repository ?? 'the repository';
  switch (`${cause}/${detail ?? ''}`) {
    case 'SUB_MISMATCH/ENVIRONMENT_FORM':
      return {
        explanation: `The job declares an environment, so its sub is "${ctx.sub}" with no ref; the trust policy of ${role} only allows ref-based subjects.`,
        fix: `Add "${ctx.sub}" to the token.actions.githubusercontent.com:sub condition of ${role}.`,
      };
    case 'SUB_MISMATCH/BRANCH':
      return {
        explanation: `The sub "${ctx.sub}" names a branch the trust policy of ${role} does not allow.`,
        fix: `Allow "repo:${repo}:ref:refs/heads/*" in the sub condition of ${role}, or run the workflow from main.`,
      };
    case 'SUB_MISMATCH/PULL_REQUEST':
      return {
        explanation: `Pull-request workflows get the sub "repo:${repo}:pull_request", which the trust policy of ${role} does not allow.`,
        fix: `Add "repo:${repo}:pull_request" to the sub condition of ${role} if pull requests should deploy.`,
      };
    case 'AUDIENCE_MISMATCH/TRUST_POLICY':
      return {
        explanation: `The token's aud is not the one the trust policy of ${role} expects (sts.amazonaws.com).`,
        fix: 'Remove the "audience" input of aws-actions/configure-aws-credentials, or set it to sts.amazonaws.com.',
      };
    case 'MISSING_OIDC_PROVIDER/':
      return {
        explanation: `No IAM OIDC provider for token.actions.githubusercontent.com exists in account ${ACCOUNT}.`,
        fix: 'Create the IAM OIDC provider https://token.actions.githubusercontent.com with client ID sts.amazonaws.com.',
      };
    case 'ROLE_NOT_FOUND/':
      return {
        explanation: `The role ${ctx.role} does not exist.`,
        fix: `Fix the role-to-assume input of ${repo}'s workflow, or create ${role}.`,
      };
    case 'IDP_ERROR/VERIFICATION_KEY':
      return {
        explanation: "STS could not fetch GitHub's signing keys; this is transient under load.",
        fix: 'Nothing to change: the action retries. Alert only if it persists.',
      };
    default:
      return { explanation: `${cause} for ${repo}.`, fix: null };
  }
}

/** A diagnosis with realistic defaults (a failed `SUB_MISMATCH/ENVIRONMENT_FORM` call). */
export function diagnosis(overrides: Partial<Diagnosis> = {}): Diagnosis {
  const repository =
    'repository' in overrides ? (overrides.repository ?? null) : 'acme-corp/payments-api';
  const sub =
    'sub' in overrides
      ? (overrides.sub ?? null)
      : repository === null
        ? null
        : `repo:${repository}:environment:production`;
  const role = 'roleArn' in overrides ? (overrides.roleArn ?? null) : roleArn('payments-deploy');
  const cause = overrides.cause ?? 'SUB_MISMATCH';
  const detail = 'detail' in overrides ? (overrides.detail ?? null) : 'ENVIRONMENT_FORM';
  const text = explain(cause, detail, { repository, sub, role });
  return {
    eventId: nextEventId(),
    eventTime: '2025-03-04T10:00:00Z',
    eventName: 'AssumeRoleWithWebIdentity',
    account: ACCOUNT,
    region: 'us-east-1',
    errorCode: cause === 'SUCCESS' ? null : 'AccessDenied',
    roleArn: role,
    provider: PROVIDER,
    issuer: 'github',
    aud: 'sts.amazonaws.com',
    sub,
    repository,
    cause,
    detail,
    explanation: text.explanation,
    fix: text.fix,
    findings: [],
    candidates: [],
    enrichment: 'snapshot',
    stale: false,
    trace: null,
    ...overrides,
  };
}

/** What one failing job is made of. */
export interface FailingJobSpec {
  /** `owner/name`, or `null` for a record whose repository is unknown. */
  readonly repository: string | null;
  /** Role name in {@link ACCOUNT} (ARN built), or `null` when unresolved. */
  readonly role: string | null;
  readonly cause: Cause;
  readonly detail?: string | null;
  /** Time of the first attempt (ISO). */
  readonly start: string;
  /** The subject's tail after `repo:<repository>:`. @default 'environment:production' */
  readonly subTail?: string;
  /** @default 12 */
  readonly attempts?: number;
  /** @default 0.5 (expected backoff) */
  readonly jitter?: number;
}

/** The failed calls of one job: `attempts` retries of the same token against the same role. */
export function failingJob(spec: FailingJobSpec): Diagnosis[] {
  const start = Date.parse(spec.start);
  const sub =
    spec.repository === null
      ? null
      : `repo:${spec.repository}:${spec.subTail ?? 'environment:production'}`;
  return retryOffsetsMs(spec.attempts ?? 12, spec.jitter ?? 0.5).map((offset) =>
    diagnosis({
      repository: spec.repository,
      sub,
      roleArn: spec.role === null ? null : roleArn(spec.role),
      cause: spec.cause,
      detail: spec.detail ?? null,
      eventTime: new Date(start + Math.round(offset)).toISOString(),
    })
  );
}

/** A successful call of `repository` against `role` at `at`. */
export function success(repository: string, role: string, at: string): Diagnosis {
  return diagnosis({
    repository,
    sub: `repo:${repository}:ref:refs/heads/main`,
    roleArn: roleArn(role),
    cause: 'SUCCESS',
    detail: null,
    explanation: 'The call succeeded.',
    fix: null,
    eventTime: at,
  });
}

/** A record outside oidcwatch's scope. */
export function ignored(at: string): Diagnosis {
  return diagnosis({
    eventName: 'GetCallerIdentity',
    repository: null,
    sub: null,
    roleArn: null,
    cause: 'IGNORED',
    detail: 'not an OIDC role assumption',
    explanation: 'not an OIDC role assumption',
    fix: null,
    errorCode: null,
    eventTime: at,
  });
}

/** A record that could not be read. */
export function malformed(): Diagnosis {
  return diagnosis({
    eventName: null,
    eventTime: null,
    repository: null,
    sub: null,
    roleArn: null,
    cause: 'MALFORMED_EVENT',
    detail: 'missing "eventName"',
    explanation: 'the record could not be read',
    fix: null,
    errorCode: null,
  });
}

/** Minutes after `base` as ISO. */
export function minutesAfter(base: string, minutes: number): string {
  return new Date(Date.parse(base) + minutes * 60_000).toISOString();
}

/**
 * A realistic incident day: `payments-api` dominates (a trust policy that predates its
 * `production` environment), a few other repositories fail now and then, one record has no
 * repository, with successes, an ignored and a malformed record mixed in.
 */
export function incidentDataSet(): Diagnosis[] {
  const base = '2025-03-04T08:00:00Z';
  const out: Diagnosis[] = [];
  // payments-api: 10 deploy jobs over ~5 hours, each 12 retries.
  for (let i = 0; i < 10; i += 1) {
    out.push(
      ...failingJob({
        repository: 'acme-corp/payments-api',
        role: 'payments-deploy',
        cause: 'SUB_MISMATCH',
        detail: 'ENVIRONMENT_FORM',
        start: minutesAfter(base, 30 * i + 7),
      })
    );
  }
  // web-frontend: 2 pull-request jobs.
  for (const m of [45, 170]) {
    out.push(
      ...failingJob({
        repository: 'acme-corp/web-frontend',
        role: 'web-preview',
        cause: 'SUB_MISMATCH',
        detail: 'PULL_REQUEST',
        start: minutesAfter(base, m),
        subTail: 'pull_request',
      })
    );
  }
  // data-pipeline: audience set by a reusable workflow, 3 jobs.
  for (const m of [62, 63.5, 240]) {
    out.push(
      ...failingJob({
        repository: 'acme-corp/data-pipeline',
        role: 'etl-runner',
        cause: 'AUDIENCE_MISMATCH',
        detail: 'TRUST_POLICY',
        start: minutesAfter(base, m),
        subTail: 'ref:refs/heads/main',
      })
    );
  }
  // infra-modules: a role that was deleted, 1 job.
  out.push(
    ...failingJob({
      repository: 'acme-corp/infra-modules',
      role: 'terraform-plan',
      cause: 'ROLE_NOT_FOUND',
      start: minutesAfter(base, 125),
      subTail: 'ref:refs/heads/main',
    })
  );
  // A token whose subject CloudTrail did not record: repository unknown.
  out.push(
    ...failingJob({
      repository: null,
      role: 'shared-readonly',
      cause: 'MISSING_OIDC_PROVIDER',
      start: minutesAfter(base, 200),
      attempts: 3,
    })
  );
  for (let i = 0; i < 20; i += 1) {
    out.push(success('acme-corp/web-frontend', 'web-deploy', minutesAfter(base, 15 * i + 3)));
  }
  out.push(ignored(minutesAfter(base, 90)), malformed());
  return out;
}

/** Deterministic Fisher–Yates shuffle (mulberry32). */
export function shuffled<T>(items: readonly T[], seed = 7): T[] {
  let s = seed;
  const random = (): number => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * The remedy classify computes for a failure, realistic by cause: for a
 * `SUB_MISMATCH` the trust-policy patch that adds exactly the recorded `sub` (edits, the patched
 * document, the `update-assume-role-policy` command, verification and blast radius); for an
 * audience mismatch the workflow change; for a missing provider the provider to create; an
 * identity-provider outage needs nothing in AWS.
 */
export function remedyFor(d: Diagnosis): Remedy | null {
  const base = {
    roleArn: null,
    policy: null,
    command: null,
    edits: [],
    workflow: [],
    useRoleArn: null,
    statement: null,
    verification: null,
    blastRadius: null,
    declined: null,
  };
  switch (d.cause) {
    case 'SUB_MISMATCH': {
      const role = d.roleArn ?? roleArn('payments-deploy');
      const repo = d.repository ?? 'acme-corp/payments-api';
      const allowed = `repo:${repo}:ref:refs/heads/main`;
      const policy = {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'GitHubActions',
            Effect: 'Allow',
            Principal: { Federated: PROVIDER },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                'token.actions.githubusercontent.com:sub': [allowed, d.sub ?? ''],
              },
            },
          },
        ],
      };
      return {
        ...base,
        kind: 'trust-policy',
        summary: d.fix ?? `Add "${d.sub}" to the sub condition of ${role}.`,
        roleArn: role,
        policy,
        command: `aws iam update-assume-role-policy --role-name ${role.split('/').pop()} --policy-document '${JSON.stringify(policy)}'`,
        edits: [
          {
            statement: '"GitHubActions"',
            element: 'Condition',
            operator: 'StringEquals',
            key: 'token.actions.githubusercontent.com:sub',
            added: [d.sub ?? ''],
            removed: [],
          },
        ],
        verified: true,
        verification: {
          admitsCall: true,
          newFindings: [],
          withinLimits: true,
          problems: [],
          notes: [],
        },
        blastRadius: {
          scope: 'call',
          probes: [
            {
              label: `another repository of ${repo.split('/')[0]}`,
              sub: `repo:${repo.split('/')[0]}/other:ref:refs/heads/main`,
              before: 'deny',
              after: 'deny',
            },
            {
              label: 'a pull request',
              sub: `repo:${repo}:pull_request`,
              before: 'deny',
              after: 'deny',
            },
          ],
          newlyAdmitted: [],
          ownerAdmitted: false,
        },
      };
    }
    case 'AUDIENCE_MISMATCH':
      return {
        ...base,
        kind: 'workflow',
        summary: d.fix ?? 'Set the audience input to sts.amazonaws.com.',
        workflow: [{ key: 'with.audience', value: null }],
        verified: true,
      };
    case 'MISSING_OIDC_PROVIDER':
      return {
        ...base,
        kind: 'provider',
        summary: d.fix ?? 'Create the provider.',
        command:
          'aws iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com --client-id-list sts.amazonaws.com',
        verified: true,
      };
    case 'IDP_ERROR':
    case 'EXPIRED_TOKEN':
      return {
        ...base,
        kind: 'none',
        summary: d.fix ?? 'Nothing to change in AWS.',
        verified: true,
      };
    default:
      return null;
  }
}

/** `diagnoses`, each with the remedy {@link remedyFor} gives it. */
export function withRemedies(diagnoses: readonly Diagnosis[]): Diagnosis[] {
  return diagnoses.map((d) => ({ ...d, remedy: remedyFor(d) }));
}
