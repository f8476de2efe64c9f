/**
 * Reads one `oidcwatch classify --json` line back into a {@link Diagnosis}, safeParse-style: a
 * line that is not one yields `{ ok: false, reason }`, never an exception.
 */

import { CAUSES, type Cause } from '../causes.js';
import { diagnoseUnread } from '../classify/classify.js';
import { REMEDY_KINDS, type Remedy } from '../remedy/remedy-types.js';
import type {
  Candidate,
  ChangeAnnotation,
  Diagnosis,
  EvaluationTrace,
  Finding,
  IssuerKind,
} from '../types.js';

/** The outcome of reading one line. */
export type DiagnosisParse =
  | { readonly ok: true; readonly diagnosis: Diagnosis }
  | { readonly ok: false; readonly reason: string };

const CAUSE_SET: ReadonlySet<string> = new Set(CAUSES);
const ISSUERS: ReadonlySet<string> = new Set([
  'github',
  'gitlab',
  'terraform-cloud',
  'circleci',
  'buildkite',
  'bitbucket',
  'eks',
  'other',
]);

/** The scalar fields that must be a string or `null` (or absent, read as `null`). */
const NULLABLE_STRINGS = [
  'eventId',
  'eventTime',
  'eventName',
  'account',
  'region',
  'errorCode',
  'roleArn',
  'provider',
  'aud',
  'sub',
  'repository',
  'detail',
  'fix',
] as const;

/**
 * Checks a parsed JSON value. `cause` must be a known cause code; the scalar fields the report
 * reads must be strings or `null` (absent ones read as `null`). Nested values (`findings`,
 * `candidates`, `trace`) are only checked for their container type.
 *
 * @example
 * ```ts
 * const r = toDiagnosis(JSON.parse(line));
 * if (r.ok) accumulator.add(r.diagnosis); else warn(r.reason);
 * ```
 */
export function toDiagnosis(value: unknown): DiagnosisParse {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const o = value as Record<string, unknown>;
  if (o.cause === undefined) {
    return { ok: false, reason: 'missing "cause"' };
  }
  if (typeof o.cause !== 'string' || !CAUSE_SET.has(o.cause)) {
    return { ok: false, reason: `"cause" must be a known cause code, got ${describe(o.cause)}` };
  }
  const scalars: Partial<Record<(typeof NULLABLE_STRINGS)[number], string | null>> = {};
  for (const key of NULLABLE_STRINGS) {
    const v = o[key];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      return { ok: false, reason: `"${key}" must be a string or null, got ${describe(v)}` };
    }
    scalars[key] = v ?? null;
  }
  if (o.explanation !== undefined && typeof o.explanation !== 'string') {
    return { ok: false, reason: `"explanation" must be a string, got ${describe(o.explanation)}` };
  }
  const diagnosis: Diagnosis = {
    eventId: scalars.eventId ?? null,
    eventTime: scalars.eventTime ?? null,
    eventName: scalars.eventName ?? null,
    account: scalars.account ?? null,
    region: scalars.region ?? null,
    errorCode: scalars.errorCode ?? null,
    roleArn: scalars.roleArn ?? null,
    provider: scalars.provider ?? null,
    issuer: typeof o.issuer === 'string' && ISSUERS.has(o.issuer) ? (o.issuer as IssuerKind) : null,
    aud: scalars.aud ?? null,
    sub: scalars.sub ?? null,
    repository: scalars.repository ?? null,
    cause: o.cause as Cause,
    detail: scalars.detail ?? null,
    explanation: o.explanation ?? '',
    fix: scalars.fix ?? null,
    findings: Array.isArray(o.findings) ? (o.findings as Finding[]) : [],
    candidates: Array.isArray(o.candidates) ? (o.candidates as Candidate[]) : [],
    enrichment:
      o.enrichment === 'snapshot' || o.enrichment === 'iam' || o.enrichment === 'none'
        ? o.enrichment
        : 'none',
    stale: o.stale === true,
    trace: typeof o.trace === 'object' && o.trace !== null ? (o.trace as EvaluationTrace) : null,
  };
  const change = changeOf(o.change);
  if (change !== null && change !== undefined && 'reason' in change)
    return { ok: false, reason: change.reason };
  const remedy = remedyOf(o.remedy);
  let out: Diagnosis = diagnosis;
  if (change !== undefined) out = { ...out, change };
  if (remedy !== undefined) out = { ...out, remedy };
  return { ok: true, diagnosis: out };
}

/**
 * Parses one JSON Lines line and checks it with {@link toDiagnosis}.
 *
 * @example
 * ```ts
 * parseDiagnosisLine('{"cause":"SUCCESS"}').ok; // true
 * parseDiagnosisLine('not json').ok;            // false
 * ```
 */
export function parseDiagnosisLine(line: string): DiagnosisParse {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return { ok: false, reason: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  return toDiagnosis(value);
}

/** The fields of a change annotation the report reads, and the type each must have. */
const CHANGE_FIELDS = {
  kind: 'string',
  eventName: 'string',
  at: 'string',
  summary: 'string',
  eventId: 'nullable',
  by: 'nullable',
  roleArn: 'nullable',
  providerArn: 'nullable',
} as const;

/**
 * The change annotation of a line: `null` when the line says no change explains it, `undefined`
 * when it has none; a reason naming the field when it is there but not an annotation, so that the
 * renderers never meet a value of the wrong type.
 */
function changeOf(v: unknown): ChangeAnnotation | null | undefined | { reason: string } {
  if (v === undefined || v === null) return v;
  if (typeof v !== 'object' || Array.isArray(v))
    return { reason: `"change" must be an object or null, got ${describe(v)}` };
  const c = v as Record<string, unknown>;
  for (const [key, type] of Object.entries(CHANGE_FIELDS)) {
    const f = c[key];
    const ok =
      type === 'string'
        ? typeof f === 'string'
        : f === undefined || f === null || typeof f === 'string';
    if (!ok)
      return {
        reason: `"change.${key}" must be a string${type === 'nullable' ? ' or null' : ''}, got ${describe(f)}`,
      };
  }
  if (c.verdict !== 'explains' && c.verdict !== 'unverified')
    return {
      reason: `"change.verdict" must be "explains" or "unverified", got ${describe(c.verdict)}`,
    };
  if (typeof c.minutesBefore !== 'number' || !Number.isFinite(c.minutesBefore))
    return { reason: `"change.minutesBefore" must be a number, got ${describe(c.minutesBefore)}` };
  for (const key of ['removed', 'added'] as const) {
    const list = c[key];
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string'))
      return { reason: `"change.${key}" must be a list of strings, got ${describe(list)}` };
  }
  return {
    ...(c as unknown as ChangeAnnotation),
    eventId: (c.eventId as string | null | undefined) ?? null,
    by: (c.by as string | null | undefined) ?? null,
    roleArn: (c.roleArn as string | null | undefined) ?? null,
    providerArn: (c.providerArn as string | null | undefined) ?? null,
  };
}

const KINDS: ReadonlySet<string> = new Set(REMEDY_KINDS);

function list<T>(v: unknown): readonly T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

function textOrNull(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/**
 * The remedy of a line: kept when it has a known `kind` and a `summary` (other fields are taken
 * when they have the right container type, else emptied), `null` when the line says there is
 * none, dropped (`undefined`) otherwise. The processor's log line carries it without `policy`.
 */
function remedyOf(v: unknown): Remedy | null | undefined {
  if (v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) return undefined;
  const r = v as Record<string, unknown>;
  if (typeof r.kind !== 'string' || !KINDS.has(r.kind) || typeof r.summary !== 'string')
    return undefined;
  const object = (x: unknown) =>
    typeof x === 'object' && x !== null && !Array.isArray(x) ? x : null;
  return {
    kind: r.kind as Remedy['kind'],
    summary: r.summary,
    roleArn: textOrNull(r.roleArn),
    policy: object(r.policy) as Remedy['policy'],
    command: textOrNull(r.command),
    edits: list(r.edits),
    workflow: list(r.workflow),
    useRoleArn: textOrNull(r.useRoleArn),
    statement: textOrNull(r.statement),
    verified: r.verified === true,
    verification: object(r.verification) as Remedy['verification'],
    blastRadius: object(r.blastRadius) as Remedy['blastRadius'],
    declined: object(r.declined) as Remedy['declined'],
  };
}

function describe(v: unknown): string {
  if (v === null) {
    return 'null';
  }
  if (Array.isArray(v)) {
    return 'an array';
  }
  if (typeof v === 'string') {
    return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  }
  return typeof v;
}

/**
 * The result standing for a line that could not be read, so it is counted (as `MALFORMED_EVENT`)
 * rather than dropped.
 *
 * @example
 * ```ts
 * accumulator.add(malformedDiagnosis('events.jsonl:7: missing "cause"'));
 * ```
 */
export function malformedDiagnosis(reason: string): Diagnosis {
  const d = diagnoseUnread({ kind: 'malformed', eventId: null, eventTime: null, reason });
  return { ...d, explanation: `the line could not be read as a diagnosis: ${reason}` };
}
