/**
 * A remedy in words, for every place that shows one (CLI text, the HTML report, a check run): the
 * change as diff lines, and what verification found in one line. Also the compact form the
 * processor's log line carries.
 */
import type { BlastRadius, Remedy, RemedyEdit } from './remedy-types.js';

/** The most values one diff line lists; the rest are counted. */
const MAX_DIFF_VALUES = 10;

function values(sign: '+' | '-', list: readonly string[]): string[] {
  const shown = list.slice(0, MAX_DIFF_VALUES).map((v) => `${sign} ${JSON.stringify(v)}`);
  if (list.length > MAX_DIFF_VALUES)
    shown.push(`${sign} … ${(list.length - MAX_DIFF_VALUES).toLocaleString('en')} more`);
  return shown;
}

function where(e: RemedyEdit): string {
  if (e.element === 'Statement') return `new statement ${e.statement}`;
  if (e.element === 'Condition')
    return `statement ${e.statement} · ${e.operator ?? ''} ${e.key ?? ''}`;
  return `statement ${e.statement} · ${e.element}`;
}

/**
 * The change of a remedy as diff lines: one header per element changed, then `-`/`+` values;
 * workflow edits as `workflow · key: value`.
 *
 * @example
 * ```ts
 * remedyDiff(remedy);
 * // ['statement "GitHubActions" · StringEquals token.actions.githubusercontent.com:sub',
 * //  '+ "repo:acme-corp/payments-api:environment:production"']
 * ```
 */
export function remedyDiff(remedy: Pick<Remedy, 'edits' | 'workflow'>): string[] {
  const lines: string[] = [];
  for (const e of remedy.edits) {
    lines.push(where(e));
    lines.push(...values('-', e.removed), ...values('+', e.added));
  }
  for (const w of remedy.workflow)
    lines.push(`workflow · ${w.key}: ${w.value === null ? '(remove)' : w.value}`);
  return lines;
}

/** `true` when the probes were AWS principals (a chained `AssumeRole`), not token subjects. */
function chainedProbes(radius: BlastRadius): boolean {
  return radius.probes.length > 0 && radius.probes.every((p) => p.sub.startsWith('arn:'));
}

/** The blast radius in words: what the patch newly admits. */
export function radiusText(radius: BlastRadius): string {
  const counted = radius.newlyAdmitted;
  const listed = counted.length === 0 ? '' : ` (newly admits ${counted.join(', ')})`;
  switch (radius.scope) {
    case 'call':
      return `nothing beyond this job's own ${chainedProbes(radius) ? 'role session' : 'subject'}${listed}`;
    case 'repository':
      return `within the job's repository${listed}`;
    case 'owner':
      return `within an owner the policy already admits${listed}`;
    default:
      return `wider than the job's repository${listed}`;
  }
}

/**
 * What verification found, in one line.
 *
 * @example
 * ```ts
 * verificationText(remedy);
 * // 'verified: admits the call · no new audit finding · within AWS limits · blast radius: nothing beyond this job's own subject'
 * ```
 */
export function verificationText(remedy: Remedy): string {
  if (remedy.kind === 'intentional')
    return `deliberate: ${remedy.statement === null ? 'the policy' : `statement ${remedy.statement}`} excludes this call on purpose; nothing is loosened`;
  const v = remedy.verification;
  if (remedy.kind === 'none' && v === null) return 'nothing to change in a policy';
  const parts: string[] = [];
  const limitsOnly = remedy.workflow.some((w) => /duration|session-name/.test(w.key));
  if (v !== null && limitsOnly)
    parts.push(v.withinLimits ? 'within AWS limits' : 'beyond an AWS limit');
  else if (v !== null) {
    if (remedy.kind === 'trust-policy' || v.admitsCall)
      parts.push(v.admitsCall ? 'admits the call' : 'does not admit the call');
    if (remedy.kind === 'trust-policy')
      parts.push(
        v.newFindings.length === 0
          ? 'no new audit finding'
          : `${v.newFindings.length} new audit finding(s)`
      );
    if (remedy.kind === 'trust-policy' || !v.withinLimits)
      parts.push(v.withinLimits ? 'within AWS limits' : 'beyond an AWS limit');
  }
  if (remedy.blastRadius !== null) parts.push(`blast radius: ${radiusText(remedy.blastRadius)}`);
  const head = remedy.verified ? 'verified' : 'NOT verified';
  const problems = v === null || v.problems.length === 0 ? '' : ` (${v.problems.join('; ')})`;
  return `${head}${parts.length === 0 ? '' : `: ${parts.join(' · ')}`}${problems}`;
}

/**
 * The remedy as the processor's log line carries it: everything but the patched document and the
 * probe list (`policy: null`, `blastRadius.probes: []`), so a line stays small whatever the policy;
 * the edits say what changes.
 */
export function compactRemedy(remedy: Remedy): Remedy {
  const strip = (r: BlastRadius | null): BlastRadius | null =>
    r === null ? null : { ...r, probes: [] };
  return {
    ...remedy,
    policy: null,
    blastRadius: strip(remedy.blastRadius),
    declined:
      remedy.declined === null
        ? null
        : { ...remedy.declined, blastRadius: strip(remedy.declined.blastRadius) },
  };
}
