/**
 * Verification of a trust-policy patch before it is shown: re-evaluated on the recorded claims
 * with the same evaluator that judged the failure, audited against the original (only new
 * findings count), checked against AWS limits, and its blast radius computed on probe subjects.
 */
import type { AccountView } from '../audit/account-view.js';
import { roleNameOf } from '../audit/account-view.js';
import { ROLE_CHECKS } from '../audit/checks/index.js';
import { ownerSpellings } from '../audit/owner-spellings.js';
import { evaluateTrustPolicy } from '../policy/evaluate-trust-policy.js';
import { readTrustPolicy, type TrustPolicy } from '../policy/parse-policy.js';
import { arnAccount, type TrustRequest } from '../policy/trust-request.js';
import { webIdentityRequest } from '../policy/web-identity-request.js';
import type { EvaluationTrace, OidcCall, OidcProviderInfo, RoleInfo } from '../types.js';
import { checkPolicySize } from './aws-limits.js';
import { blastRadius, principalBlastRadius, radiusAllowed } from './blast-radius.js';
import { type PolicyDocument, policySize } from './document-patch.js';
import type { BlastRadius, RemedyVerification } from './remedy-types.js';

/** What a trust-policy remedy is built and verified against. */
export interface PatchEnv {
  readonly call: OidcCall;
  readonly roleArn: string;
  /** The original document as written (`null`: not available, so nothing can be patched). */
  readonly document: PolicyDocument | null;
  /** The original document, read. */
  readonly policy: TrustPolicy;
  /** Owners configured by the operator (lowercase); empty: no `FOREIGN_OWNER` check. */
  readonly knownOwners: readonly string[];
  /** The account's OIDC providers; `null` when not known (`simulate`). */
  readonly providers: readonly OidcProviderInfo[] | null;
  /** The request the patch must admit. @default webIdentityRequest(call) */
  readonly request?: TrustRequest;
  /**
   * Compute the blast radius over web-identity probe subjects.
   * @default true (false for a chained `AssumeRole`, whose principal is a role)
   */
  readonly probe?: boolean;
  /**
   * The call as the original policy was written for, when that differs from the recorded one (a
   * statement for another account's provider or another issuer): whether the policy already
   * admits the job's owner is judged on it. @default call
   */
  readonly ownerBaseline?: OidcCall;
  /** Roles the policy names as AWS principals, read from IAM (for a `role` remedy). */
  readonly relatedRoles?: readonly RoleInfo[];
  /** The patch only adds (see `PatchPlan.additive`). */
  readonly additive?: boolean;
  /**
   * A chained `AssumeRole`: the session's role and every action the chain needs. The blast
   * radius is then computed over AWS principals (`principalBlastRadius`), not token subjects.
   */
  readonly chain?: { readonly principal: string; readonly actions: readonly string[] };
  /**
   * Judge "the policy already admits the job's owner" on the patched document, not the original:
   * for a document IAM would reject as written, whose correction is what its author meant.
   */
  readonly ownerAdmittedOnPatch?: boolean;
}

/** The outcome of verifying a patched document. */
export interface PatchCheck {
  readonly verification: RemedyVerification;
  readonly blastRadius: BlastRadius | null;
  readonly verified: boolean;
}

function requestOf(env: PatchEnv): TrustRequest {
  return env.request ?? webIdentityRequest(env.call);
}

/** Conditions still `unknown` in the statements that would admit the call. */
function stillUnknown(
  trace: EvaluationTrace
): { statement: number; operator: string; key: string }[] {
  return trace.statements
    .filter((s) => s.verdict === 'unknown')
    .flatMap((s) =>
      s.conditions
        .filter((c) => c.verdict === 'unknown')
        .map((c) => ({ statement: s.index, operator: c.operator, key: c.key }))
    );
}

function hadCondition(policy: TrustPolicy, operator: string, key: string): boolean {
  return policy.statements.some((st) =>
    st.conditions.some(
      (c) =>
        c.operator.toLowerCase() === operator.toLowerCase() &&
        c.key.toLowerCase() === key.toLowerCase()
    )
  );
}

function accountViewFor(env: PatchEnv): AccountView {
  const owner = env.call.subject?.owner ?? null;
  return {
    account: arnAccount(env.roleArn) ?? env.call.account ?? '',
    allRoles: [],
    roles: [],
    unreadable: [],
    providers: env.providers ?? [],
    knownOwners: env.knownOwners.map((o) => o.toLowerCase()),
    // The owner as the recorded sub spells it is GitHub's own spelling.
    ownerSpellings: ownerSpellings([env.policy], owner === null ? undefined : [owner]),
    ownersGiven: env.knownOwners.length > 0,
  };
}

/** The original policy's findings, per policy object and what they depend on (many calls, one policy). */
const originalFindings = new WeakMap<TrustPolicy, Map<string, ReadonlySet<string>>>();

function originalAuditFindings(env: PatchEnv, view: AccountView): ReadonlySet<string> {
  let memo = originalFindings.get(env.policy);
  if (memo === undefined) {
    memo = new Map();
    originalFindings.set(env.policy, memo);
  }
  const owner = env.call.subject?.owner ?? '';
  const key = `${env.roleArn}\u0000${view.account}\u0000${env.knownOwners.join(',')}\u0000${owner}\u0000${env.providers === null ? '-' : env.providers.map((p) => p.arn).join(',')}`;
  let hit = memo.get(key);
  if (hit === undefined) {
    hit = new Set(auditFindings(env, view, env.policy));
    if (memo.size >= 1_000) memo.clear();
    memo.set(key, hit);
  }
  return hit;
}

/** The characters of each original document, counted once. */
const documentSizes = new WeakMap<PolicyDocument, number>();

function originalSize(doc: PolicyDocument | null): number {
  if (doc === null) return 0;
  let size = documentSizes.get(doc);
  if (size === undefined) {
    size = policySize(doc);
    documentSizes.set(doc, size);
  }
  return size;
}

/** The JSON text of each statement of an original policy, written once per policy. */
const statementTexts = new WeakMap<TrustPolicy['statements'][number], string>();

/** A statement as IAM would compare it (index and content); `a` is the original's. */
function sameStatement(a: TrustPolicy['statements'][number], b: TrustPolicy['statements'][number]) {
  let text = statementTexts.get(a);
  if (text === undefined) {
    text = JSON.stringify(a);
    statementTexts.set(a, text);
  }
  return text === JSON.stringify(b);
}

/**
 * The findings of the patched policy that the original does not have. Only the statements the
 * patch changed or added can bring new ones, so they are audited alone first; anything that looks
 * new there (a check that reads several statements may see too few) is confirmed on the whole
 * patched policy.
 */
function findingsNew(
  env: PatchEnv,
  view: AccountView,
  patched: TrustPolicy,
  before: ReadonlySet<string>
): string[] {
  const changed = patched.statements.filter((st) => {
    const was = env.policy.statements.find((o) => o.index === st.index);
    return was === undefined || !sameStatement(was, st);
  });
  const reduced: TrustPolicy = { ...patched, statements: changed };
  const suspects = auditFindings(env, view, reduced).filter((f) => !before.has(f));
  if (suspects.length === 0) return [];
  return [...new Set(auditFindings(env, view, patched))].filter((f) => !before.has(f));
}

/** The audit findings of a policy, as comparable strings. */
function auditFindings(env: PatchEnv, view: AccountView, policy: TrustPolicy): string[] {
  const role = { arn: env.roleArn, name: roleNameOf(env.roleArn), policy };
  const checks = ROLE_CHECKS.filter(
    (c) =>
      env.providers !== null ||
      (c.name !== 'missing-provider' && c.name !== 'provider-in-other-account')
  );
  return checks.flatMap((c) =>
    c
      .run(role, view)
      .map((d) => `${d.code}${d.detail === null ? '' : `/${d.detail}`}: ${d.message}`)
  );
}

/**
 * Verifies `patched` against the original of `env`.
 *
 * @example
 * ```ts
 * const check = verifyPatch(env, patchedDocument);
 * check.verified; // admits the call, no new finding, within limits, radius within the repository
 * ```
 */
export function verifyPatch(env: PatchEnv, patched: PolicyDocument): PatchCheck {
  const problems: string[] = [];
  const notes: string[] = [];
  const read = readTrustPolicy(patched);
  if (!read.ok) {
    return {
      verification: {
        admitsCall: false,
        newFindings: [],
        withinLimits: false,
        problems: [`the patched policy is not valid: ${read.reason}`],
        notes,
      },
      blastRadius: null,
      verified: false,
    };
  }
  const policy = read.policy;
  const trace = evaluateTrustPolicy(policy, requestOf(env));
  let admitsCall = trace.decision === 'allow';
  if (trace.decision === 'unknown') {
    const unknown = stillUnknown(trace);
    const inherited = unknown.filter((u) => hadCondition(env.policy, u.operator, u.key));
    admitsCall = unknown.length > 0 && inherited.length === unknown.length;
    if (admitsCall)
      notes.push(
        `The call is admitted as far as CloudTrail can tell: it still depends on ${[...new Set(unknown.map((u) => `${u.operator} ${u.key}`))].join(', ')}, a condition the policy already had on a claim CloudTrail does not record.`
      );
  }
  if (!admitsCall)
    problems.push(
      `re-evaluated on the recorded claims, the patched policy still does not admit the call (${trace.decision})`
    );

  const size = checkPolicySize(originalSize(env.document), policySize(patched));
  if (size.problem !== null) problems.push(size.problem);
  if (size.note !== null) notes.push(size.note);
  // A patch IAM would refuse for its size is not audited or probed: it is not offered anyway.
  if (!size.ok)
    return {
      verification: { admitsCall, newFindings: [], withinLimits: false, problems, notes },
      blastRadius: null,
      verified: false,
    };

  const view = accountViewFor(env);
  const before = originalAuditFindings(env, view);
  const newFindings = findingsNew(env, view, policy, before);
  for (const f of newFindings) problems.push(`the audit finds something new on it: ${f}`);

  const radius =
    env.chain !== undefined
      ? principalBlastRadius(env.policy, policy, env.chain.principal, env.chain.actions)
      : env.probe === false
        ? null
        : blastRadius(
            env.call,
            env.policy,
            policy,
            env.ownerBaseline,
            env.additive === true,
            env.ownerAdmittedOnPatch === true ? policy : env.policy
          );
  if (radius !== null && !radiusAllowed(radius))
    problems.push(
      `it would also admit ${radius.newlyAdmitted.join(', ')}: wider than the job's repository${radius.ownerAdmitted ? '' : ' (and the policy does not already admit its owner)'}`
    );
  const verified =
    admitsCall && newFindings.length === 0 && size.ok && (radius === null || radiusAllowed(radius));
  return {
    verification: { admitsCall, newFindings, withinLimits: size.ok, problems, notes },
    blastRadius: radius,
    verified,
  };
}
