/**
 * The classifier: one read record and what IAM says → one `Diagnosis` (cause, detail, explanation,
 * fix, findings, candidates). Pure: the caller gathers the IAM view first.
 */
import { readTrustPolicy } from '../policy/parse-policy.js';
import type {
  Diagnosis,
  Finding,
  IamView,
  OidcCall,
  OidcProviderInfo,
  ReadOutcome,
} from '../types.js';
import { trustPolicyFindings } from './findings.js';
import type { RuleContext, Verdict } from './rule.js';
import { CAUSE_RULES } from './rules/index.js';

/** The account's IAM OIDC provider for the call's token (by ARN, else by issuer URL), if any. */
export function providerFor(call: OidcCall, iam: IamView): OidcProviderInfo | null {
  if (iam.status !== 'ok') return null;
  const url = call.issuer?.url.toLowerCase();
  return (
    iam.providers.find((p) => p.arn === call.provider) ??
    iam.providers.find(
      (p) => url !== undefined && p.url.toLowerCase().replace(/^https?:\/\//, '') === url
    ) ??
    null
  );
}

function ruleContext(call: OidcCall, iam: IamView): RuleContext {
  const info = iam.status === 'ok' ? iam.role : undefined;
  return {
    call,
    iam,
    role: info ? { info, policy: readTrustPolicy(info.trustPolicy) } : null,
    provider: providerFor(call, iam),
  };
}

function findingsFor(ctx: RuleContext, verdict: Verdict): Finding[] {
  const owners = ctx.iam.status === 'ok' ? (ctx.iam.knownOwners ?? []) : [];
  const out: Finding[] = [];
  if (ctx.role?.policy.ok)
    out.push(...trustPolicyFindings(ctx.role.info.arn, ctx.role.policy.policy, owners));
  if (verdict.candidates !== undefined && ctx.iam.status === 'ok') {
    const byArn = new Map((ctx.iam.rolesTrustingProvider ?? []).map((r) => [r.arn, r]));
    for (const c of verdict.candidates) {
      const role = byArn.get(c.roleArn);
      const read = role === undefined ? null : readTrustPolicy(role.trustPolicy);
      if (read?.ok) out.push(...trustPolicyFindings(c.roleArn, read.policy, owners));
    }
  }
  return out;
}

function runRules(ctx: RuleContext): Verdict {
  const errors: string[] = [];
  for (const [name, rule] of CAUSE_RULES) {
    try {
      const verdict = rule(ctx);
      if (verdict !== null) return verdict;
    } catch (e) {
      errors.push(`rule ${name} failed: ${(e as Error)?.message ?? String(e)}`);
    }
  }
  const why = errors.length > 0 ? errors.join('; ') : 'no IAM view of the role was available';
  return {
    cause: 'ENRICHMENT_FAILED',
    detail: errors.length > 0 ? 'CLASSIFICATION_ERROR' : 'NO_IAM_VIEW',
    explanation: `The call failed with ${ctx.call.errorCode ?? 'an error'} and could not be classified further (${why}).`,
    fix: null,
  };
}

/**
 * Classifies one in-scope call against the IAM view of its account.
 *
 * @example
 * ```ts
 * const outcome = readRecord(cloudTrailRecord);
 * if (outcome.kind === 'call') {
 *   const d = classifyCall(outcome.call, { status: 'ok', source: 'snapshot', role, providers });
 *   print(d.cause, d.detail, d.fix);
 * }
 * ```
 */
export function classifyCall(call: OidcCall, iam: IamView): Diagnosis {
  const ctx = ruleContext(call, iam);
  const verdict = runRules(ctx);
  return {
    eventId: call.eventId,
    eventTime: call.eventTime,
    eventName: call.eventName,
    account: call.account,
    region: call.region,
    errorCode: call.errorCode,
    roleArn: call.roleArn,
    provider: call.provider,
    issuer: call.issuer?.kind ?? null,
    aud: call.aud,
    sub: call.sub,
    repository: call.subject?.repository ?? null,
    cause: verdict.cause,
    detail: verdict.detail,
    explanation: verdict.explanation,
    fix: verdict.remedy?.summary ?? verdict.fix,
    findings: findingsFor(ctx, verdict),
    candidates: verdict.candidates ?? [],
    enrichment: iam.status === 'ok' ? iam.source : 'none',
    stale: iam.status === 'ok' && iam.stale === true,
    trace: verdict.trace ?? null,
    remedy: verdict.remedy ?? null,
  };
}

/** The diagnosis of a record that is out of scope (`IGNORED`) or unreadable (`MALFORMED_EVENT`). */
export function diagnoseUnread(outcome: Exclude<ReadOutcome, { kind: 'call' }>): Diagnosis {
  return {
    eventId: outcome.eventId,
    eventTime: outcome.eventTime,
    eventName: null,
    account: null,
    region: null,
    errorCode: null,
    roleArn: null,
    provider: null,
    issuer: null,
    aud: null,
    sub: null,
    repository: null,
    cause: outcome.kind === 'ignored' ? 'IGNORED' : 'MALFORMED_EVENT',
    detail: outcome.reason,
    explanation: outcome.reason,
    fix: null,
    findings: [],
    candidates: [],
    enrichment: 'none',
    stale: false,
    trace: null,
    remedy: null,
  };
}
