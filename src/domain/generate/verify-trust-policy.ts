/**
 * Checks a trust policy against its request before anyone sees it: our evaluator must admit every
 * job asked for and deny every probe; each subject value must read back (with the issuer's sub
 * grammar) as the repository and context it was written for; `oidcwatch audit` must find nothing;
 * the document must fit IAM's trust-policy size quota.
 */
import { auditAccounts } from '../audit/audit.js';
import type { AuditFinding } from '../audit/audit-types.js';
import { evaluateTrustPolicy } from '../policy/evaluate-trust-policy.js';
import { readTrustPolicy } from '../policy/parse-policy.js';
import { tokenClaimsRequest } from '../policy/token-claims-request.js';
import { arnAccount } from '../policy/trust-request.js';
import { parseSubject } from '../subject/parse-subject.js';
import type { EvaluationTrace } from '../types.js';
import { subjectValues } from './build-trust-policy.js';
import { PLACEHOLDER_ACCOUNT, type PolicyRequest } from './policy-request.js';
import { type Probe, probesFor } from './probes.js';

/**
 * IAM's default "Role trust policy length" quota (characters, whitespace not counted), and the
 * most it can be raised to.
 * {@link https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html | IAM quotas}
 */
export const TRUST_POLICY_LENGTH = { default: 2048, max: 8192 } as const;

/** One probe and what the evaluator answered. */
export interface ProbeResult {
  readonly probe: Probe;
  readonly decision: EvaluationTrace['decision'];
  /** `true` when the decision is the one expected (`allow` for asked jobs, a deny for probes). */
  readonly ok: boolean;
}

/** What the checks of a generated policy found. */
export interface PolicyVerification {
  readonly results: readonly ProbeResult[];
  /** Audit findings on the policy (role findings: the provider is assumed to exist). */
  readonly findings: readonly AuditFinding[];
  /** The document's length as IAM counts it (no whitespace outside values). */
  readonly length: number;
  /** `true` when the length needs the quota raised above its default. */
  readonly needsQuotaIncrease: boolean;
  /** Why the policy must not be used, in words; empty when every check passed. */
  readonly problems: readonly string[];
}

function tryProbe(
  policy: Parameters<typeof evaluateTrustPolicy>[0],
  request: PolicyRequest,
  probe: Probe
): ProbeResult {
  const trace = evaluateTrustPolicy(
    policy,
    tokenClaimsRequest({
      providerArn: probe.providerArn,
      issuerUrl: request.issuer.url,
      claims: probe.claims,
      conditionClaims: request.conditionClaims,
    })
  );
  const ok =
    probe.expect === 'allow'
      ? trace.decision === 'allow'
      : trace.decision === 'implicit-deny' || trace.decision === 'explicit-deny';
  return { probe, decision: trace.decision, ok };
}

/** Each subject value must read back as a subject of the issuer naming an asked repository. */
function unreadableSubjects(request: PolicyRequest): string[] {
  const problems: string[] = [];
  const repositories = request.repositories.map((r) => `${r.owner}/${r.name}`);
  for (const value of subjectValues(request)) {
    const subject = parseSubject(value, request.issuer.kind);
    if (subject.repository === null || !repositories.includes(subject.repository))
      problems.push(`the sub value "${value}" does not read as a subject of an asked repository`);
    else if (request.immutable !== subject.immutable)
      problems.push(
        `the sub value "${value}" is not in the ${request.immutable ? 'immutable' : 'name-based'} form asked for`
      );
  }
  return problems;
}

/**
 * Verifies `document` as the trust policy of `request`.
 *
 * @param document - the policy, as generated (its provider is `request.providerArn`)
 * @returns the evaluator's answer on every probe, the audit's findings, the size, and the problems
 *   (empty when the policy may be used)
 *
 * @example
 * ```ts
 * const request = readPolicyRequest({ repositories: ['acme-corp/api'], environments: ['production'] });
 * const checked = verifyTrustPolicy(buildTrustPolicy(request), request);
 * checked.problems; // []
 * ```
 */
export function verifyTrustPolicy(document: unknown, request: PolicyRequest): PolicyVerification {
  const read = readTrustPolicy(document);
  if (!read.ok)
    return {
      results: [],
      findings: [],
      length: 0,
      needsQuotaIncrease: false,
      problems: [`the policy cannot be read: ${read.reason}`],
    };
  const results = probesFor(request).map((p) => tryProbe(read.policy, request, p));
  const problems: string[] = [];
  for (const r of results)
    if (!r.ok)
      problems.push(
        r.probe.expect === 'allow'
          ? `it does not admit the job asked for (sub "${r.probe.claims.sub}"): ${r.decision}`
          : `it does not deny ${r.probe.label} (sub "${r.probe.claims.sub}"): ${r.decision}`
      );
  problems.push(...unreadableSubjects(request));

  const account = arnAccount(request.providerArn) ?? PLACEHOLDER_ACCOUNT;
  const roleArn = `arn:${request.partition}:iam::${account}:role/generated`;
  const owners = request.issuer.kind === 'github' ? request.repositories.map((r) => r.owner) : [];
  const report = auditAccounts(
    {
      [account]: {
        roles: [{ arn: roleArn, trustPolicy: document }],
        oidcProviders: [
          {
            arn: request.providerArn,
            url: request.issuer.url,
            clientIds: [request.audience],
            thumbprints: [],
          },
        ],
      },
    },
    { owners }
  );
  const findings = report.findings.filter((f) => f.roleArn !== null);
  for (const f of findings)
    problems.push(`audit: ${f.code}${f.detail === null ? '' : `/${f.detail}`}: ${f.message}`);

  const length = JSON.stringify(document).length;
  if (length > TRUST_POLICY_LENGTH.max)
    problems.push(
      `it is ${length} characters, more than IAM's ${TRUST_POLICY_LENGTH.max}-character maximum for a trust policy: split the repositories over several roles`
    );
  return {
    results,
    findings,
    length,
    needsQuotaIncrease: length > TRUST_POLICY_LENGTH.default,
    problems,
  };
}
