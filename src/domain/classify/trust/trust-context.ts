/**
 * The evaluation of one trust policy for one call, arranged for the trust rules: each Allow
 * statement with how far it got (principal → action → aud → other claims → unrecorded claims).
 */
import { readPolicyDocument, type TrustPolicy } from '../../policy/parse-policy.js';
import type { PatchEnv } from '../../remedy/verify-patch.js';
import type {
  ConditionTrace,
  EvaluationTrace,
  OidcCall,
  OidcProviderInfo,
  RoleInfo,
  StatementTrace,
} from '../../types.js';

/** How far an Allow statement got, in IAM's order of judgement (docs/causes.md). */
export const STAGES = ['principal', 'action', 'aud', 'claim', 'unrecorded', 'admits'] as const;

/** A stage: where the statement stopped (`admits`: it did not stop). */
export type Stage = (typeof STAGES)[number];

/** One Allow statement with its stage. */
export interface AllowAnalysis {
  readonly statement: StatementTrace;
  readonly stage: Stage;
  /** `Sid`, or `#index`. */
  readonly label: string;
}

/** What the trust rules look at. */
export interface TrustContext {
  readonly call: OidcCall;
  readonly roleArn: string;
  readonly policy: TrustPolicy;
  readonly trace: EvaluationTrace;
  readonly allows: readonly AllowAnalysis[];
  /** The Allow statements that got furthest. */
  readonly nearest: readonly AllowAnalysis[];
  readonly nearestStage: Stage | null;
  /** What a remedy is built and verified against (the original document, owners, providers). */
  readonly env: PatchEnv;
}

/** What the trust rules know beyond the policy: the document as written, owners, providers. */
export interface TrustEnv {
  /** The trust policy as IAM holds it (object, JSON text or URL-encoded text); `null`: unknown. */
  readonly document?: unknown;
  /** Owners configured by the operator. */
  readonly knownOwners?: readonly string[];
  /** The account's OIDC providers; `null`/absent: not known. */
  readonly providers?: readonly OidcProviderInfo[] | null;
  /** Roles the policy names as AWS principals, as IAM holds them. */
  readonly relatedRoles?: readonly RoleInfo[];
}

/** The claim a condition key names (`token.actions.githubusercontent.com:sub` → `sub`). */
export function claimOf(key: string): string {
  const lower = key.toLowerCase();
  return lower.slice(lower.lastIndexOf(':') + 1);
}

/** `Sid`, or `#index` for a statement without one. */
export function statementLabel(st: Pick<StatementTrace, 'sid' | 'index'>): string {
  return st.sid !== null && st.sid !== '' ? `"${st.sid}"` : `#${st.index}`;
}

function stageOf(st: StatementTrace): Stage {
  if (!st.principalMatches) return 'principal';
  if (!st.actionMatches) return 'action';
  const failing = st.conditions.filter((c) => c.verdict === 'fail');
  if (failing.some((c) => claimOf(c.key) === 'aud')) return 'aud';
  if (failing.length > 0) return 'claim';
  if (st.conditions.some((c) => c.verdict === 'unknown')) return 'unrecorded';
  return 'admits';
}

/** Arranges an evaluation for the trust rules. */
export function trustContext(
  call: OidcCall,
  roleArn: string,
  policy: TrustPolicy,
  trace: EvaluationTrace,
  more: TrustEnv = {}
): TrustContext {
  const allows = trace.statements
    .filter((s) => s.effect === 'Allow')
    .map((statement) => ({
      statement,
      stage: stageOf(statement),
      label: statementLabel(statement),
    }));
  let nearestStage: Stage | null = null;
  for (const a of allows)
    if (nearestStage === null || STAGES.indexOf(a.stage) > STAGES.indexOf(nearestStage))
      nearestStage = a.stage;
  const nearest = allows.filter((a) => a.stage === nearestStage);
  const env: PatchEnv = {
    call,
    roleArn,
    document: more.document === undefined ? null : readPolicyDocument(more.document),
    policy,
    knownOwners: more.knownOwners ?? [],
    providers: more.providers ?? null,
    relatedRoles: more.relatedRoles ?? [],
  };
  return { call, roleArn, policy, trace, allows, nearest, nearestStage, env };
}

/** The failing conditions of the nearest statements, optionally only those on one claim. */
export function failingConditions(ctx: TrustContext, claim?: string): ConditionTrace[] {
  return ctx.nearest.flatMap((a) =>
    a.statement.conditions.filter(
      (c) => c.verdict === 'fail' && (claim === undefined || claimOf(c.key) === claim)
    )
  );
}

/** The most values prose quotes; the rest are counted (a policy may hold thousands). */
export const MAX_QUOTED_VALUES = 6;
/** The longest value prose quotes whole. */
const MAX_VALUE_CHARS = 200;

function quoteOne(v: string): string {
  return `"${v.length > MAX_VALUE_CHARS ? `${v.slice(0, MAX_VALUE_CHARS)}…` : v}"`;
}

/**
 * Quotes a list of values for prose: `"a"`, `"a" or "b"`, `"a", "b" or "c"`; beyond
 * {@link MAX_QUOTED_VALUES}, the first ones and a count (`"a", "b", … or 99,995 more`).
 */
export function quoteList(values: readonly string[], joiner = 'or'): string {
  if (values.length > MAX_QUOTED_VALUES) {
    const shown = values.slice(0, MAX_QUOTED_VALUES - 1).map(quoteOne);
    return `${shown.join(', ')} ${joiner} ${(values.length - shown.length).toLocaleString('en')} more`;
  }
  const q = values.map(quoteOne);
  if (q.length <= 1) return q.join('');
  return `${q.slice(0, -1).join(', ')} ${joiner} ${q.at(-1)}`;
}

/** What the policy allows, statement by statement, each with its own operator. */
export function allowedText(ctx: TrustContext, conditions: readonly ConditionTrace[]): string {
  const parts: string[] = [];
  for (const a of ctx.nearest)
    for (const c of a.statement.conditions)
      if (conditions.includes(c))
        parts.push(
          `${ctx.nearest.length > 1 ? `statement ${a.label}: ` : ''}${c.key} ${c.operator} ${quoteList(c.values)}`
        );
  return parts.join('; ');
}
