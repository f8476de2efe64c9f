/**
 * Remedies of a failing condition on a claim other than `sub` (`environment`, `ref`,
 * `repository`, …): the job's value added to a positive clause, the workflow change when the job
 * lacks the claim, and no loosening where the condition excludes on purpose (a negated operator, a
 * `Null` check that the claim be absent).
 */
import type { ParsedOperator } from '../policy/operators.js';
import type { ConditionTrace, IssuerKind } from '../types.js';
import { addValuePlan, clauseText, likeValuePlan, type ValueTarget } from './condition-plans.js';
import { makeRemedy, setInWorkflow } from './make-remedy.js';
import { patchRemedy } from './patch-remedy.js';
import type { Remedy } from './remedy-types.js';
import { likeEscaped, usesOf } from './sub-remedy.js';
import type { PatchEnv } from './verify-patch.js';

/** What the claim rule found. */
export interface ClaimRemedyInput {
  readonly condition: ConditionTrace;
  readonly op: ParsedOperator;
  /** The claim the key names (`environment`). */
  readonly claim: string;
  readonly statement: string;
  readonly index: number;
  /** Environments other conditions of the statement name (for `Null`: which one to declare). */
  readonly namedEnvironments: readonly string[];
  readonly issuer: IssuerKind | null;
}

/** Claims a policy pins on purpose: the workflow that may deploy, the people who may. */
const PINNED = new Set(['job_workflow_ref', 'workflow', 'workflow_ref', 'actor', 'actor_id']);

const MERGE_QUEUE_REF = /^refs\/heads\/gh-readonly-queue\/(.+)\/pr-\d+-[0-9a-f]{7,40}$/;

function quoted(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}

function declareEnvironment(input: ClaimRemedyInput, names: readonly string[]): Remedy {
  const literal = names.find((n) => !/[*?]/.test(n));
  const github = input.issuer === 'github';
  return makeRemedy(
    'workflow',
    literal !== undefined
      ? `Declare the environment on the job (\`environment: ${literal}\`): statement ${input.statement} admits only jobs that run in ${names.length > 1 ? `one of ${quoted(names)}` : `"${literal}"`}.`
      : `Declare the environment this job deploys to on the job (\`environment: …\`): statement ${input.statement} admits only jobs that run in an environment${names.length > 0 ? ` matching ${quoted(names)}` : ''}.`,
    {
      statement: input.statement,
      workflow: github && literal !== undefined ? [setInWorkflow('environment', literal)] : [],
    }
  );
}

/**
 * The remedy of a failing condition on a claim other than `sub`.
 *
 * @example
 * ```ts
 * claimRemedy(env, { condition, op, claim: 'environment', statement: '"Deploy"', index: 0, … });
 * ```
 */
export function claimRemedy(env: PatchEnv, input: ClaimRemedyInput): Remedy {
  const { condition: c, op, claim } = input;
  if (op.negated)
    return makeRemedy(
      'intentional',
      `Statement ${input.statement} deliberately excludes ${claim} ${quoted(c.values)} (${c.operator}), and this job's ${claim} is ${quoted(c.tested ?? [])}: use the role meant for it. Adding the value to the exclusion would not admit it, and oidcwatch offers no change that loosens an exclusion.`,
      { statement: input.statement }
    );
  if (op.base === 'Null') {
    const mustExist = c.values.some((v) => v.toLowerCase() === 'false');
    if (!mustExist)
      return makeRemedy(
        'intentional',
        `Statement ${input.statement} admits only jobs without a ${claim} claim (Null "true"), and this job has one: run it without ${claim} or use the role meant for it.`,
        { statement: input.statement }
      );
    if (claim === 'environment') return declareEnvironment(input, input.namedEnvironments);
    return makeRemedy(
      'workflow',
      `Statement ${input.statement} admits only jobs whose token carries a ${claim} claim (Null "false"), and this job's does not: run the job so that it has one.`,
      { statement: input.statement }
    );
  }
  if (PINNED.has(claim))
    return makeRemedy(
      'intentional',
      `Statement ${input.statement} admits only ${claim} ${quoted(c.values)}${c.tested === null ? '' : `, and this job's is ${quoted(c.tested)}`}: the role is meant for ${claim === 'actor' || claim === 'actor_id' ? 'those actors' : 'that workflow'} only. ${claim === 'job_workflow_ref' && c.values[0] !== undefined ? `Run the job through it (\`uses: ${usesOf(c.values[0])}\`)` : 'Run the job as it requires'} rather than adding the job's own value.`,
      { statement: input.statement }
    );
  if (c.tested === null) {
    if (claim === 'environment') return declareEnvironment(input, c.values);
    return makeRemedy(
      'workflow',
      `The job's token has no ${claim} claim, so ${clauseText(c)} of statement ${input.statement} cannot match: run the job so that its ${claim} is ${quoted(c.values)}, or use the role meant for it.`,
      { statement: input.statement }
    );
  }
  const value = c.tested[0] ?? '';
  const target: ValueTarget = {
    index: input.index,
    statement: input.statement,
    operator: c.operator,
    base: op.base,
    key: c.key,
    value: c.values[0] ?? '',
    variables: env.policy.variables,
  };
  const fallback = () =>
    makeRemedy(
      'workflow',
      `Run the job with the ${claim} statement ${input.statement} admits (${quoted(c.values)}), or use the role meant for it.`
    );
  const queue = claim === 'ref' ? MERGE_QUEUE_REF.exec(value) : null;
  if (queue !== null) {
    const pattern = `refs/heads/gh-readonly-queue/${likeEscaped(queue[1] ?? '', env.policy.variables)}/*`;
    return patchRemedy(
      env,
      likeValuePlan(
        env,
        target,
        pattern,
        `Merge-queue refs are new for every run: add the pattern "${pattern}" to StringLike["${c.key}"] in statement ${input.statement}; or skip the AWS step in merge_group runs. Adding the one ref would not admit the next run.`,
        fallback
      )
    );
  }
  const version = claim === 'ref' ? /^refs\/tags\/(\D*?)\d/.exec(value) : null;
  if (version !== null) {
    const pattern = `refs/tags/${likeEscaped(version[1] ?? '', env.policy.variables)}*`;
    return patchRemedy(
      env,
      likeValuePlan(
        env,
        target,
        pattern,
        `Release tags are new with every release: add the pattern "${pattern}" to StringLike["${c.key}"] in statement ${input.statement}, not the one tag ${value}.`,
        fallback
      )
    );
  }
  const written = op.base === 'StringLike' ? likeEscaped(value, env.policy.variables) : value;
  return patchRemedy(
    env,
    addValuePlan(
      target,
      written,
      `If this job should assume the role, add "${written}" to ${clauseText(c)} in statement ${input.statement}.`,
      fallback
    )
  );
}
