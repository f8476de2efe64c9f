/**
 * Reads a trust policy document into a normalised form: every string-or-array field becomes an
 * array, every condition one (operator, key, values) clause. Accepts an object, a JSON string or
 * the URL-encoded string `iam:GetRole` returns.
 */
import { type ParsedOperator, parseOperator } from './operators.js';

/** `Principal` / `NotPrincipal` normalised. `'*'` is the anonymous wildcard principal. */
export type PrincipalSpec =
  | '*'
  | {
      readonly federated: readonly string[];
      readonly aws: readonly string[];
      readonly service: readonly string[];
      readonly other: readonly string[];
    };

/** One condition clause: an operator applied to one key with its values. */
export interface ConditionClause {
  /** The operator as written. */
  readonly operator: string;
  /** `null` when the operator is not one oidcwatch evaluates. */
  readonly parsed: ParsedOperator | null;
  /** The key as written (IAM compares key names case-insensitively). */
  readonly key: string;
  /** Values as strings (`true` → `'true'`). */
  readonly values: readonly string[];
}

/** One statement, normalised. */
export interface TrustStatement {
  readonly index: number;
  readonly sid: string | null;
  /** Always `Allow` or `Deny`: a document with any other `Effect` is not read (IAM rejects it). */
  readonly effect: 'Allow' | 'Deny' | null;
  readonly principal: PrincipalSpec | null;
  readonly notPrincipal: PrincipalSpec | null;
  readonly action: readonly string[] | null;
  readonly notAction: readonly string[] | null;
  readonly conditions: readonly ConditionClause[];
}

/** A normalised trust policy. */
export interface TrustPolicy {
  readonly version: string | null;
  /** `true` when `${…}` policy variables and special characters apply (Version 2012-10-17). */
  readonly variables: boolean;
  readonly statements: readonly TrustStatement[];
}

/** The outcome of reading a policy document. */
export type PolicyReadResult =
  | { readonly ok: true; readonly policy: TrustPolicy }
  | { readonly ok: false; readonly reason: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function scalarToString(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  return null;
}

function toStringList(v: unknown): string[] | null {
  if (v === undefined || v === null) return null;
  const items = Array.isArray(v) ? v : [v];
  const out: string[] = [];
  for (const item of items) {
    const s = scalarToString(item);
    if (s === null) return null;
    out.push(s);
  }
  return out;
}

/** Finds a field by name, case-insensitively (IAM element names are matched that way). */
function field(obj: Record<string, unknown>, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

function readPrincipal(v: unknown): PrincipalSpec | null | { readonly error: string } {
  if (v === undefined) return null;
  if (v === '*') return '*';
  if (!isRecord(v)) return { error: 'Principal must be "*" or an object' };
  const federated: string[] = [];
  const aws: string[] = [];
  const service: string[] = [];
  const other: string[] = [];
  for (const [k, raw] of Object.entries(v)) {
    const list = toStringList(raw);
    if (list === null) return { error: `Principal.${k} must be a string or an array of strings` };
    const kind = k.toLowerCase();
    if (kind === 'federated') federated.push(...list);
    else if (kind === 'aws') aws.push(...list);
    else if (kind === 'service') service.push(...list);
    else other.push(...list);
  }
  return { federated, aws, service, other };
}

function readConditions(v: unknown, where: string): ConditionClause[] | string {
  if (v === undefined || v === null) return [];
  if (!isRecord(v)) return `${where}.Condition must be an object`;
  const clauses: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(v)) {
    if (!isRecord(block)) return `${where}.Condition.${operator} must be an object of keys`;
    for (const [key, raw] of Object.entries(block)) {
      const values = toStringList(raw);
      if (values === null)
        return `${where}.Condition.${operator}["${key}"] must be a string or an array of strings`;
      clauses.push({ operator, parsed: parseOperator(operator), key, values });
    }
  }
  return clauses;
}

function readStatement(raw: unknown, index: number): TrustStatement | string {
  const where = `Statement[${index}]`;
  if (!isRecord(raw)) return `${where} must be an object`;
  const effectRaw = field(raw, 'Effect');
  // IAM accepts exactly "Allow" or "Deny" and rejects anything else with MalformedPolicyDocument
  // ("The policy failed legacy parsing"): such a document cannot be a role's trust policy.
  if (effectRaw === undefined)
    return `${where} has no "Effect": IAM requires "Allow" or "Deny" and would reject this policy`;
  if (effectRaw !== 'Allow' && effectRaw !== 'Deny')
    return `${where}.Effect is ${JSON.stringify(effectRaw)}: IAM accepts only "Allow" or "Deny" (case-sensitive) and would reject this policy`;
  const effect: 'Allow' | 'Deny' = effectRaw;
  const principal = readPrincipal(field(raw, 'Principal'));
  if (principal !== null && principal !== '*' && 'error' in principal)
    return `${where}.${principal.error}`;
  const notPrincipal = readPrincipal(field(raw, 'NotPrincipal'));
  if (notPrincipal !== null && notPrincipal !== '*' && 'error' in notPrincipal)
    return `${where}.Not${notPrincipal.error}`;
  const actionRaw = field(raw, 'Action');
  const action = toStringList(actionRaw);
  if (actionRaw !== undefined && action === null)
    return `${where}.Action must be a string or an array of strings`;
  const notActionRaw = field(raw, 'NotAction');
  const notAction = toStringList(notActionRaw);
  if (notActionRaw !== undefined && notAction === null)
    return `${where}.NotAction must be a string or an array of strings`;
  const conditions = readConditions(field(raw, 'Condition'), where);
  if (typeof conditions === 'string') return conditions;
  const sid = scalarToString(field(raw, 'Sid'));
  return { index, sid, effect, principal, notPrincipal, action, notAction, conditions };
}

/**
 * The policy document as a JSON object (an object as it is; JSON text or the URL-encoded text
 * `iam:GetRole` returns, parsed), or `null` when it is none: what a remedy patches.
 *
 * @example
 * ```ts
 * readPolicyDocument('%7B%22Version%22%3A%222012-10-17%22%7D'); // { Version: '2012-10-17' }
 * ```
 */
export function readPolicyDocument(document: unknown): Record<string, unknown> | null {
  if (isRecord(document)) return document;
  if (typeof document !== 'string') return null;
  const parsed = parseDocumentText(document);
  return isRecord(parsed) && !('ok' in parsed && parsed.ok === false) ? parsed : null;
}

/** Parses text that is JSON, or URL-encoded JSON as `iam:GetRole` returns it. */
function parseDocumentText(text: string): unknown | PolicyReadResult {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed);
  } catch (jsonError) {
    if (trimmed.startsWith('%7B') || trimmed.startsWith('%7b') || trimmed.includes('%22')) {
      try {
        return JSON.parse(decodeURIComponent(trimmed));
      } catch (decodedError) {
        return {
          ok: false,
          reason: `trust policy is URL-encoded but not JSON after decoding: ${(decodedError as Error).message}`,
        };
      }
    }
    return { ok: false, reason: `trust policy is not JSON: ${(jsonError as Error).message}` };
  }
}

const parsedCache = new WeakMap<object, PolicyReadResult>();
const textCache = new Map<string, PolicyReadResult>();
const TEXT_CACHE_LIMIT = 5_000;

/**
 * Reads a trust policy document. Never throws: an unreadable document gives `{ ok: false, reason }`
 * naming what is wrong.
 *
 * @example
 * ```ts
 * const r = readTrustPolicy(getRoleOutput.Role.AssumeRolePolicyDocument); // URL-encoded
 * if (r.ok) evaluateTrustPolicy(r.policy, request);
 * ```
 */
export function readTrustPolicy(document: unknown): PolicyReadResult {
  if (typeof document === 'string') {
    const hit = textCache.get(document);
    if (hit !== undefined) return hit;
    const parsed = parseDocumentText(document);
    const result =
      isRecord(parsed) && 'ok' in parsed && parsed.ok === false
        ? (parsed as PolicyReadResult)
        : readTrustPolicyObject(parsed);
    if (textCache.size >= TEXT_CACHE_LIMIT) textCache.clear();
    textCache.set(document, result);
    return result;
  }
  if (isRecord(document)) {
    const hit = parsedCache.get(document);
    if (hit !== undefined) return hit;
    const result = readTrustPolicyObject(document);
    parsedCache.set(document, result);
    return result;
  }
  return readTrustPolicyObject(document);
}

function readTrustPolicyObject(doc: unknown): PolicyReadResult {
  if (!isRecord(doc)) return { ok: false, reason: 'trust policy must be a JSON object' };
  const version = scalarToString(field(doc, 'Version'));
  const statementRaw = field(doc, 'Statement');
  if (statementRaw === undefined)
    return { ok: false, reason: 'trust policy has no "Statement" element' };
  const rawList = Array.isArray(statementRaw) ? statementRaw : [statementRaw];
  if (rawList.length === 0)
    return {
      ok: false,
      reason: 'trust policy has an empty "Statement" list: IAM would reject this policy',
    };
  const statements: TrustStatement[] = [];
  for (let i = 0; i < rawList.length; i++) {
    const st = readStatement(rawList[i], i);
    if (typeof st === 'string') return { ok: false, reason: `trust policy ${st}` };
    statements.push(st);
  }
  return { ok: true, policy: { version, variables: version === '2012-10-17', statements } };
}
