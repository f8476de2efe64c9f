/**
 * Edits of a trust-policy document as written: a remedy patches the ORIGINAL JSON (Sids, statement
 * order, element spelling, other statements and keys stay as they are) and records each change as
 * a {@link RemedyEdit}. Every function edits a copy made by {@link copyDocument}, never the
 * caller's object.
 */
import type { RemedyEdit } from './remedy-types.js';

/** A trust-policy document as JSON. */
export type PolicyDocument = Record<string, unknown>;

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The JSON text of each original document, written once: every failure of a role copies the same
 * document. Originals are never modified (patches apply to copies).
 */
const documentTexts = new WeakMap<PolicyDocument, string>();

/** A deep copy, safe to edit (a policy document is plain JSON). */
export function copyDocument(doc: PolicyDocument): PolicyDocument {
  let text = documentTexts.get(doc);
  if (text === undefined) {
    text = JSON.stringify(doc);
    documentTexts.set(doc, text);
  }
  return JSON.parse(text) as PolicyDocument;
}

/** The name under which `obj` holds `name` (IAM matches element names case-insensitively). */
function keyOf(obj: Json, name: string): string | undefined {
  if (Object.hasOwn(obj, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

function listOf(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => String(x));
}

/** The statements of a document; a single statement object is turned into a one-element list. */
function statements(doc: PolicyDocument): Json[] {
  const key = keyOf(doc, 'Statement') ?? 'Statement';
  const raw = doc[key];
  if (Array.isArray(raw)) return raw as Json[];
  const list = raw === undefined ? [] : [raw as Json];
  doc[key] = list;
  return list;
}

/** The statement at `index` (its position in the original document). */
export function statementAt(doc: PolicyDocument, index: number): Json | null {
  const st = statements(doc)[index];
  return isRecord(st) ? st : null;
}

/** How an edit names a statement: `"Sid"`, else `#index`. */
export function statementName(st: Json, index: number): string {
  const sid = st[keyOf(st, 'Sid') ?? 'Sid'];
  return typeof sid === 'string' && sid !== '' ? `"${sid}"` : `#${index}`;
}

function conditionBlock(st: Json, operator: string, create: boolean): Json | null {
  const condKey = keyOf(st, 'Condition') ?? 'Condition';
  let cond = st[condKey];
  if (!isRecord(cond)) {
    if (!create) return null;
    cond = {};
    st[condKey] = cond;
  }
  const c = cond as Json;
  const opKey = keyOf(c, operator) ?? operator;
  if (!isRecord(c[opKey])) {
    if (!create) return null;
    c[opKey] = {};
  }
  return c[opKey] as Json;
}

/**
 * Adds values beside those of `operator[key]` in statement `index` (creating the operator block
 * or key when absent). Values already there are not repeated. A single value stays a string.
 *
 * @returns the edit, or `null` when nothing was added
 */
export function addConditionValues(
  doc: PolicyDocument,
  index: number,
  operator: string,
  key: string,
  values: readonly string[]
): RemedyEdit | null {
  const st = statementAt(doc, index);
  if (st === null) return null;
  const block = conditionBlock(st, operator, true) as Json;
  const k = keyOf(block, key) ?? key;
  const existing = listOf(block[k]);
  const added = values.filter((v, i) => !existing.includes(v) && values.indexOf(v) === i);
  if (added.length === 0) return null;
  const all = [...existing, ...added];
  block[k] = all.length === 1 ? all[0] : all;
  return {
    statement: statementName(st, index),
    element: 'Condition',
    operator,
    key: k,
    added,
    removed: [],
  };
}

/**
 * Removes one value from `operator[key]` in statement `index`; an emptied key, then an emptied
 * operator block, then an emptied `Condition` are removed too (IAM rejects empty ones).
 */
export function removeConditionValue(
  doc: PolicyDocument,
  index: number,
  operator: string,
  key: string,
  value: string
): RemedyEdit | null {
  const st = statementAt(doc, index);
  if (st === null) return null;
  const block = conditionBlock(st, operator, false);
  if (block === null) return null;
  const k = keyOf(block, key);
  if (k === undefined) return null;
  const existing = listOf(block[k]);
  if (!existing.includes(value)) return null;
  const rest = existing.filter((v) => v !== value);
  if (rest.length === 0) delete block[k];
  else block[k] = rest.length === 1 ? rest[0] : rest;
  const condKey = keyOf(st, 'Condition') as string;
  const cond = st[condKey] as Json;
  const opKey = keyOf(cond, operator) as string;
  if (Object.keys(block).length === 0) delete cond[opKey];
  if (Object.keys(cond).length === 0) delete st[condKey];
  return {
    statement: statementName(st, index),
    element: 'Condition',
    operator,
    key: k,
    added: [],
    removed: [value],
  };
}

/**
 * Renames the condition keys of statement `index` that `rename` maps to a new name (`null`: kept),
 * in every operator block, keeping operators, values and key order.
 */
function renameKeys(
  doc: PolicyDocument,
  index: number,
  rename: (key: string) => string | null
): RemedyEdit[] {
  const st = statementAt(doc, index);
  if (st === null) return [];
  const condKey = keyOf(st, 'Condition');
  const cond = condKey === undefined ? null : st[condKey];
  if (!isRecord(cond)) return [];
  const edits: RemedyEdit[] = [];
  for (const [operator, block] of Object.entries(cond)) {
    if (!isRecord(block)) continue;
    const renamed: Json = {};
    for (const [key, value] of Object.entries(block)) {
      const next = rename(key);
      if (next === null) {
        renamed[key] = value;
        continue;
      }
      renamed[next] = value;
      edits.push({
        statement: statementName(st, index),
        element: 'Condition',
        operator,
        key: next,
        added: [`key ${next}`],
        removed: [`key ${key}`],
      });
    }
    cond[operator] = renamed;
  }
  return edits;
}

/**
 * Renames every condition key of statement `index` under `fromPrefix` (`<issuer>:`) to
 * `toPrefix`, keeping operators, values and key order. Replacing is the point: a key under
 * another issuer's prefix is always absent from the request.
 */
export function renameConditionKeys(
  doc: PolicyDocument,
  index: number,
  fromPrefix: string,
  toPrefix: string
): RemedyEdit[] {
  const from = `${fromPrefix.toLowerCase()}:`;
  return renameKeys(doc, index, (key) =>
    key.toLowerCase().startsWith(from) ? `${toPrefix}:${key.slice(from.length)}` : null
  );
}

/**
 * Renames one condition key of statement `index` (a misspelled key such as `…:subject`), in every
 * operator block that has it, keeping values and key order.
 */
export function renameConditionKey(
  doc: PolicyDocument,
  index: number,
  from: string,
  to: string
): RemedyEdit[] {
  return renameKeys(doc, index, (key) => (key.toLowerCase() === from.toLowerCase() ? to : null));
}

/**
 * Replaces one `Principal.Federated` value of statement `index` (a provider ARN of another
 * account, which can never match a call into this one).
 */
export function replaceFederated(
  doc: PolicyDocument,
  index: number,
  from: string,
  to: string
): RemedyEdit | null {
  const st = statementAt(doc, index);
  if (st === null) return null;
  const pKey = keyOf(st, 'Principal');
  const principal = pKey === undefined ? null : st[pKey];
  if (!isRecord(principal)) return null;
  const fKey = keyOf(principal, 'Federated');
  if (fKey === undefined) return null;
  const raw = principal[fKey];
  if (Array.isArray(raw)) {
    const at = raw.indexOf(from);
    if (at < 0) return null;
    raw[at] = to;
  } else if (raw === from) principal[fKey] = to;
  else return null;
  return {
    statement: statementName(st, index),
    element: 'Principal.Federated',
    operator: null,
    key: null,
    added: [to],
    removed: [from],
  };
}

/** Adds `action` beside the `Action` values of statement `index`. */
export function addAction(doc: PolicyDocument, index: number, action: string): RemedyEdit | null {
  const st = statementAt(doc, index);
  if (st === null) return null;
  const key = keyOf(st, 'Action') ?? 'Action';
  const existing = listOf(st[key]);
  if (existing.some((a) => a.toLowerCase() === action.toLowerCase())) return null;
  st[key] = existing.length === 0 ? action : [...existing, action];
  return {
    statement: statementName(st, index),
    element: 'Action',
    operator: null,
    key: null,
    added: [action],
    removed: [],
  };
}

/** Sets the `Effect` of statement `index` (a mis-cased `"allow"` IAM would reject). */
export function setEffect(
  doc: PolicyDocument,
  index: number,
  effect: 'Allow' | 'Deny'
): RemedyEdit | null {
  const st = statementAt(doc, index);
  if (st === null) return null;
  const key = keyOf(st, 'Effect') ?? 'Effect';
  const before = st[key];
  if (before === effect) return null;
  st[key] = effect;
  return {
    statement: statementName(st, index),
    element: 'Effect',
    operator: null,
    key: null,
    added: [effect],
    removed: before === undefined ? [] : [String(before)],
  };
}

/** A `Sid` not used by any statement of the document, from `base` (IAM allows `[A-Za-z0-9]`). */
export function freeSid(doc: PolicyDocument, base: string): string {
  const clean = base.replace(/[^A-Za-z0-9]/g, '') || 'Statement';
  const used = new Set(
    statements(doc).map((st) => (isRecord(st) ? String(st[keyOf(st, 'Sid') ?? 'Sid'] ?? '') : ''))
  );
  if (!used.has(clean)) return clean;
  for (let i = 2; ; i++) if (!used.has(`${clean}${i}`)) return `${clean}${i}`;
}

/**
 * Appends a statement (after every existing one, so the others keep their index). `describe`
 * names what it admits, for the edit.
 */
export function appendStatement(
  doc: PolicyDocument,
  statement: Json,
  describe: readonly string[]
): RemedyEdit {
  const list = statements(doc);
  list.push(statement);
  return {
    statement: statementName(statement, list.length - 1),
    element: 'Statement',
    operator: null,
    key: null,
    added: [...describe],
    removed: [],
  };
}

/** A copy of statement `index` as written (to derive a new statement from it). */
export function statementCopy(doc: PolicyDocument, index: number): Json | null {
  const st = statementAt(doc, index);
  return st === null ? null : structuredClone(st);
}

/** Element names as written in a statement, for derived statements. */
export function elementKey(st: Json, name: string): string {
  return keyOf(st, name) ?? name;
}

/** The characters IAM counts against the trust-policy size quota (it ignores white space). */
export function policySize(doc: PolicyDocument): number {
  return JSON.stringify(doc).replace(/\s/g, '').length;
}
