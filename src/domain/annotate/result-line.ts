/**
 * The annotator's input: a `classify --json` line, or the processor's result log line (the same
 * fields plus `failingJobKey`, `outcome`, `level`, `time`, `msg`). Read with the report's
 * diagnosis reader, keeping the `remedy` (the check run shows it) when it has the contract's shape.
 */
import { REMEDY_KINDS, type Remedy } from '../remedy/remedy-types.js';
import { toDiagnosis } from '../report/parse-diagnosis.js';
import type { Diagnosis } from '../types.js';

/** A line read, or why not. */
export type ResultLineParse =
  | {
      readonly ok: true;
      readonly diagnosis: Diagnosis;
      /** The processor's key of the failing job, when the line carries one. */
      readonly failingJobKey: string | null;
    }
  | { readonly ok: false; readonly reason: string };

const KINDS: ReadonlySet<string> = new Set(REMEDY_KINDS);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The remedy of a line when it has the shape of the contract; `null` otherwise. */
export function remedyOf(value: unknown): Remedy | null {
  if (!isObject(value) || typeof value.kind !== 'string' || !KINDS.has(value.kind)) return null;
  if (typeof value.summary !== 'string') return null;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter(isObject) : []);
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    kind: value.kind as Remedy['kind'],
    summary: value.summary,
    roleArn: text(value.roleArn),
    policy: isObject(value.policy) ? value.policy : null,
    command: text(value.command),
    edits: list(value.edits).map((e) => ({
      statement: String(e.statement ?? ''),
      element: String(e.element ?? ''),
      operator: text(e.operator),
      key: text(e.key),
      added: Array.isArray(e.added) ? e.added.map(String) : [],
      removed: Array.isArray(e.removed) ? e.removed.map(String) : [],
    })),
    workflow: list(value.workflow).map((w) => ({ key: String(w.key ?? ''), value: text(w.value) })),
    useRoleArn: text(value.useRoleArn),
    statement: text(value.statement),
    verified: value.verified === true,
    verification: isObject(value.verification)
      ? {
          admitsCall: value.verification.admitsCall === true,
          newFindings: Array.isArray(value.verification.newFindings)
            ? value.verification.newFindings.map(String)
            : [],
          withinLimits: value.verification.withinLimits === true,
          problems: Array.isArray(value.verification.problems)
            ? value.verification.problems.map(String)
            : [],
        }
      : null,
    blastRadius:
      isObject(value.blastRadius) &&
      ['call', 'repository', 'owner', 'wider'].includes(String(value.blastRadius.scope))
        ? {
            scope: value.blastRadius.scope as 'call' | 'repository' | 'owner' | 'wider',
            probes: [],
            newlyAdmitted: Array.isArray(value.blastRadius.newlyAdmitted)
              ? value.blastRadius.newlyAdmitted.map(String)
              : [],
          }
        : null,
  };
}

/**
 * Reads one parsed JSON value as an annotator input.
 *
 * @example
 * ```ts
 * const r = readResultLine(JSON.parse(logLine));
 * if (r.ok) r.failingJobKey; // '111122223333|arn:aws:iam::…|repo:…|2026-11-27T14:05:00.000Z'
 * ```
 */
export function readResultLine(value: unknown): ResultLineParse {
  const parsed = toDiagnosis(value);
  if (!parsed.ok) return parsed;
  const o = value as Record<string, unknown>;
  const remedy = remedyOf(o.remedy);
  return {
    ok: true,
    diagnosis: remedy === null ? parsed.diagnosis : { ...parsed.diagnosis, remedy },
    failingJobKey: typeof o.failingJobKey === 'string' ? o.failingJobKey : null,
  };
}
