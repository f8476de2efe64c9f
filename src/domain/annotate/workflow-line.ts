/**
 * The line of the workflow file a fix concerns: `role-to-assume`, `audience`, `environment` (or the
 * few other `configure-aws-credentials` inputs a request-level fix names), found by reading the
 * file's text at the run's commit. Only a line that can be told apart is returned: when the file
 * has several such lines and none names the recorded value, there is no annotation rather than a
 * wrong one.
 */
import type { Diagnosis } from '../types.js';

/** The workflow keys an annotation can point at. */
export type WorkflowKey =
  | 'role-to-assume'
  | 'audience'
  | 'environment'
  | 'role-duration-seconds'
  | 'role-session-name'
  | 'aws-region'
  | 'id-token';

/** A line of the workflow file. */
export interface WorkflowLine {
  readonly key: WorkflowKey;
  /** 1-based. */
  readonly line: number;
  /** The value as written (without quotes), `''` for a key whose value is on the next lines. */
  readonly value: string;
}

const FROM_REMEDY: Readonly<Record<string, WorkflowKey>> = {
  'with.role-to-assume': 'role-to-assume',
  'with.audience': 'audience',
  environment: 'environment',
  'with.role-duration-seconds': 'role-duration-seconds',
  'with.role-session-name': 'role-session-name',
  'with.aws-region': 'aws-region',
  'permissions.id-token': 'id-token',
};

/**
 * The workflow key the fix of `d` concerns: the remedy's workflow edit when it has one, else the
 * key the cause is about (`audience` for audiences, `environment` for environment subjects,
 * `role-to-assume` for everything decided by the role's trust policy or existence).
 */
export function workflowKeyOf(d: Diagnosis): WorkflowKey {
  for (const edit of d.remedy?.workflow ?? []) {
    const key = FROM_REMEDY[edit.key];
    if (key !== undefined) return key;
  }
  if (d.cause === 'AUDIENCE_MISMATCH') return 'audience';
  if (
    d.cause === 'SUB_MISMATCH' &&
    (d.detail === 'ENVIRONMENT_FORM' || d.detail === 'WRONG_ENVIRONMENT')
  )
    return 'environment';
  if (d.cause === 'INVALID_REQUEST') {
    if (d.detail === 'DURATION_EXCEEDS_MAX_SESSION') return 'role-duration-seconds';
    if (d.detail === 'INVALID_SESSION_NAME') return 'role-session-name';
    if (d.detail === 'REGION_DISABLED') return 'aws-region';
  }
  return 'role-to-assume';
}

function unquote(v: string): string {
  const t = v.replace(/\s+#.*$/, '').trim();
  return t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.at(-1) === t[0] ? t.slice(1, -1) : t;
}

/** Every line that sets `key` (as a mapping key, also as the first key of a list item). */
function linesOf(text: string, key: WorkflowKey): WorkflowLine[] {
  const out: WorkflowLine[] = [];
  const pattern = new RegExp(`^\\s*(?:-\\s+)?${key.replace(/-/g, '\\-')}\\s*:(.*)$`);
  text.split(/\r?\n/).forEach((raw, i) => {
    if (/^\s*#/.test(raw)) return;
    const m = raw.match(pattern);
    if (m !== null) out.push({ key, line: i + 1, value: unquote(m[1] ?? '') });
  });
  return out;
}

/** What the record says the value is (or should name), to tell several lines apart. */
function recordedValues(d: Diagnosis, key: WorkflowKey, environment: string | null): string[] {
  switch (key) {
    case 'role-to-assume':
      return [d.roleArn, d.roleArn?.split('/').pop() ?? null].filter((v): v is string => !!v);
    case 'audience':
      return d.aud === null ? [] : [d.aud];
    case 'environment':
      return environment === null ? [] : [environment];
    default:
      return [];
  }
}

/**
 * The line of `text` (a workflow file) that the fix of `d` concerns, or `null` when it cannot be
 * told apart. An `audience` fix on a step that sets no audience points at its `role-to-assume`.
 *
 * @param environment - the environment the subject names, if any
 * @example
 * ```ts
 * findWorkflowLine(yaml, diagnosis, null); // { key: 'role-to-assume', line: 31, value: 'arn:aws:iam::…' }
 * ```
 */
export function findWorkflowLine(
  text: string,
  d: Diagnosis,
  environment: string | null
): WorkflowLine | null {
  const key = workflowKeyOf(d);
  const pick = (k: WorkflowKey): WorkflowLine | null => {
    const lines = linesOf(text, k);
    if (lines.length === 0) return null;
    const values = recordedValues(d, k, environment);
    const naming = lines.filter((l) =>
      values.some((v) => l.value === v || l.value.endsWith(`/${v}`))
    );
    if (naming.length === 1) return naming[0] as WorkflowLine;
    return lines.length === 1 ? (lines[0] as WorkflowLine) : null;
  };
  const direct = pick(key);
  if (direct !== null || key !== 'audience') return direct;
  return pick('role-to-assume');
}
