/**
 * Change correlation: does a recent change of a failed call's role or provider explain the
 * failure? A change is blamed only when the configuration before it would have admitted the
 * recorded claims and the one after it does not (both judged with the trust-policy evaluator),
 * and no later change restored admission. When the configuration before it is unknown, the
 * change is named as `unverified` rather than guessed at. Pure: the caller fetches the changes.
 */
import { providerFor } from '../classify/classify.js';
import { eventTimeMs, isFailureCause } from '../failing-job.js';
import { parseOperator, valueMatches } from '../policy/operators.js';
import type {
  ChangeAnnotation,
  Diagnosis,
  EvaluationTrace,
  IamView,
  OidcCall,
  PolicyDelta,
} from '../types.js';
import { admits, type Tri, traceFor } from './admission.js';
import { changeSummary } from './change-summary.js';
import {
  type ConfigurationChange,
  isProviderChange,
  type ProviderState,
  type RoleChange,
  type RoleState,
  UNKNOWN_PROVIDER,
} from './change-types.js';
import { changeConcernsCall, targetKey } from './target-keys.js';

/** What correlation looks at. */
export interface CorrelationInput {
  readonly call: OidcCall;
  readonly diagnosis: Diagnosis;
  /** The IAM view the call was classified with: the half of the configuration a change left alone. */
  readonly view: IamView;
  /** Changes of the call's role and provider (any order; others are ignored). */
  readonly changes: readonly ConfigurationChange[];
  /** How far back a change may be, ms. */
  readonly windowMs: number;
}

/** The role as the IAM view shows it now. */
function currentRole(view: IamView): RoleState {
  if (view.status !== 'ok' || view.role === undefined) return { exists: null, trustPolicy: null };
  return view.role === null
    ? { exists: false, trustPolicy: null }
    : { exists: true, trustPolicy: view.role.trustPolicy };
}

/** The call's provider as the IAM view shows it now. */
function currentProvider(view: IamView, call: OidcCall): ProviderState {
  if (view.status !== 'ok') return UNKNOWN_PROVIDER;
  const p = providerFor(call, view);
  return p === null
    ? { ...UNKNOWN_PROVIDER, exists: false }
    : { ...UNKNOWN_PROVIDER, exists: true, clientIds: p.clientIds, thumbprints: p.thumbprints };
}

/** Would the call be admitted with one side of the configuration as `state`, the other as now? */
function admitsWith(
  change: ConfigurationChange,
  state: RoleState | ProviderState,
  input: CorrelationInput
): Tri {
  const { call, view } = input;
  return isProviderChange(change)
    ? admits(currentRole(view), state as ProviderState, call)
    : admits(state as RoleState, currentProvider(view, call), call);
}

function judge(
  change: ConfigurationChange,
  later: readonly ConfigurationChange[],
  input: CorrelationInput
): 'explains' | 'unverified' | null {
  if (change.type === 'PROVIDER_THUMBPRINT_UPDATED')
    // Thumbprints cannot be checked from a record; they matter only to a thumbprint failure.
    return input.diagnosis.cause === 'THUMBPRINT_MISMATCH' ? 'unverified' : null;
  if (admitsWith(change, change.after, input) !== 'no') return null;
  const key = targetKey(change.target);
  if (later.some((l) => targetKey(l.target) === key && admitsWith(l, l.after, input) === 'yes'))
    return null;
  const before = admitsWith(change, change.before, input);
  if (before === 'yes') return 'explains';
  return before === 'unknown' ? 'unverified' : null;
}

const conditionId = (operator: string | null, key: string | null) =>
  `${operator ?? ''}|${(key ?? '').toLowerCase()}`;

/** Conditions that fail in every Allow statement able to match the call (principal and action). */
function failingConditions(trace: EvaluationTrace): Set<string> {
  const out = new Set<string>();
  for (const st of trace.statements)
    if (st.effect === 'Allow' && st.principalMatches && st.actionMatches)
      for (const c of st.conditions)
        if (c.verdict === 'fail') out.add(conditionId(c.operator, c.key));
  return out;
}

/** The removed values that would have matched the tested claim (all of them when none would). */
function matchingRemoved(d: PolicyDelta, trace: EvaluationTrace): string[] {
  const tested = trace.statements
    .flatMap((s) => s.conditions)
    .find((c) => conditionId(c.operator, c.key) === conditionId(d.operator, d.key))?.tested;
  const op = d.operator === null ? null : parseOperator(d.operator);
  if (op === null || op.negated || tested === null || tested === undefined) return [...d.removed];
  const hits = d.removed.filter((v) => tested.some((t) => valueMatches(op.base, v, t, true)));
  return hits.length > 0 ? hits : [...d.removed];
}

/** The parts of a trust-policy change that turned the call away. */
function relevantRoleDeltas(change: RoleChange, call: OidcCall): PolicyDelta[] {
  const now = traceFor(change.after, call);
  if (now === null || change.diff === null) return [];
  if (now.decision === 'explicit-deny')
    return change.diff.filter((d) => d.effect === 'Deny' && d.added.length > 0);
  const failing = failingConditions(now);
  const conditions = change.diff
    .filter(
      (d) =>
        d.element === 'Condition' &&
        d.effect === 'Allow' &&
        failing.has(conditionId(d.operator, d.key)) &&
        (d.removed.length > 0 || d.added.length > 0)
    )
    .map((d) => (d.removed.length > 0 ? { ...d, added: [], removed: matchingRemoved(d, now) } : d));
  if (conditions.length > 0) return conditions;
  return change.diff.filter(
    (d) => d.element !== 'Condition' && d.effect === 'Allow' && d.removed.length > 0
  );
}

function relevantDeltas(change: ConfigurationChange, call: OidcCall): PolicyDelta[] {
  if (!isProviderChange(change))
    return change.after.exists === true ? relevantRoleDeltas(change, call) : [];
  return (change.diff ?? []).filter(
    (d) => d.element === 'ClientIDList' && call.aud !== null && d.removed.includes(call.aud)
  );
}

function annotationOf(
  change: ConfigurationChange,
  verdict: 'explains' | 'unverified',
  minutesBefore: number,
  call: OidcCall
): ChangeAnnotation {
  const relevant = verdict === 'explains' ? relevantDeltas(change, call) : [];
  const flat = (pick: (d: PolicyDelta) => readonly string[]) => [
    ...new Set((change.diff ?? []).flatMap(pick)),
  ];
  return {
    kind: change.type,
    eventName: change.eventName,
    eventId: change.eventId,
    at: change.eventTime,
    by: change.actor,
    roleArn: isProviderChange(change) ? null : change.target.arn,
    providerArn: isProviderChange(change) ? change.target.arn : null,
    minutesBefore,
    verdict,
    removed: flat((d) => d.removed),
    added: flat((d) => d.added),
    diff: change.diff,
    summary: changeSummary(change, { minutesBefore, verdict, relevant }),
  };
}

/**
 * The change that explains a failed call, or `null`. Among the changes of the call's role and
 * provider made within `windowMs` before it, the most recent one that explains it wins; failing
 * that, the most recent `unverified` one is named.
 *
 * @example
 * ```ts
 * const change = explainByChange({ call, diagnosis, view, changes, windowMs: 86_400_000 });
 * change?.summary; // 'The trust policy of role deploy changed 4 min before this failure (…)…'
 * ```
 */
export function explainByChange(input: CorrelationInput): ChangeAnnotation | null {
  const { call, diagnosis } = input;
  const failedAt = eventTimeMs(call.eventTime);
  if (
    failedAt === null ||
    !isFailureCause(diagnosis.cause) ||
    call.eventName !== 'AssumeRoleWithWebIdentity'
  )
    return null;
  const candidates = input.changes
    .map((change) => ({ change, at: Date.parse(change.eventTime) }))
    .filter(
      ({ change, at }) =>
        at <= failedAt && failedAt - at <= input.windowMs && changeConcernsCall(change, call)
    )
    .sort((a, b) => b.at - a.at);
  let unverified: ChangeAnnotation | null = null;
  for (let i = 0; i < candidates.length; i++) {
    const { change, at } = candidates[i] as (typeof candidates)[number];
    const later = candidates.slice(0, i).map((c) => c.change);
    const verdict = judge(change, later, input);
    if (verdict === null) continue;
    const annotation = annotationOf(change, verdict, Math.floor((failedAt - at) / 60_000), call);
    if (verdict === 'explains') return annotation;
    unverified ??= annotation;
  }
  return unverified;
}

/**
 * The diagnosis with its change annotation: the field set, and the summary added to the
 * explanation (so text output, the log line and the report all carry it).
 *
 * @example
 * ```ts
 * const annotated = withChange(d, explainByChange({ call, diagnosis: d, view, changes, windowMs }));
 * ```
 */
export function withChange(d: Diagnosis, change: ChangeAnnotation | null): Diagnosis {
  if (change === null) return { ...d, change: null };
  return { ...d, change, explanation: `${d.explanation} ${change.summary}` };
}
