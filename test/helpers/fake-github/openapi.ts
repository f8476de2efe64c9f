/**
 * GitHub's published OpenAPI description of api.github.com (`@octokit/openapi`), used by the fake
 * GitHub API two ways: its `examples` are the starting point of every object the fake returns
 * (GitHub's own shapes, with our ids, names and times put in), and every request the client sends
 * and every answer the fake gives is validated against the operation's schemas (query parameters,
 * request body, response body per status). A violation is a test failure, not a warning.
 *
 * OpenAPI 3.0's `nullable` is rewritten to JSON Schema (`type: [T, 'null']`, or `anyOf` with
 * `null` where there is no `type`) before Ajv compiles anything.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, unknown>;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Rewrites OpenAPI 3.0 `nullable` into JSON Schema, in place, everywhere under `node`. */
function rewriteNullable(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) rewriteNullable(n);
    return;
  }
  if (!isObject(node)) return;
  for (const v of Object.values(node)) rewriteNullable(v);
  if (node.nullable !== true) return;
  delete node.nullable;
  if (Array.isArray(node.enum) && !node.enum.includes(null)) node.enum.push(null);
  if (typeof node.type === 'string') {
    node.type = [node.type, 'null'];
    return;
  }
  const rest: Json = { ...node };
  for (const k of Object.keys(node)) delete node[k];
  node.anyOf = [{ type: 'null' }, rest];
}

/** `#/components/x/y` → the value. */
function resolve(doc: Json, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>(
      (n, k) => (isObject(n) ? n[k.replace(/~1/g, '/').replace(/~0/g, '~')] : n),
      doc
    );
}

function deref(doc: Json, v: unknown): Json {
  let n = v;
  for (let i = 0; i < 5 && isObject(n) && typeof n.$ref === 'string'; i += 1)
    n = resolve(doc, n.$ref);
  return isObject(n) ? n : {};
}

/**
 * Where the description contradicts itself, the schema used instead, with why. Kept short: each
 * entry is a bug in the published description, not a shape of ours.
 */
const ERRATA: Readonly<Record<string, unknown>> = {
  // The inline copy of `installation` under this path has `account: allOf [simple-user,
  // enterprise]` (both at once, which no account is); the component itself says `anyOf`.
  'res GET /app/installations 200': {
    type: 'array',
    items: { $ref: '#/components/schemas/installation' },
  },
};

/** A request or answer that does not follow GitHub's description. */
export interface Violation {
  readonly route: string;
  readonly where: string;
  readonly problems: string;
}

/**
 * The description, compiled lazily per operation.
 *
 * @example
 * ```ts
 * const api = githubOpenApi();
 * const run = api.example('get', '/repos/{owner}/{repo}/actions/runs', 200).workflow_runs[0];
 * api.checkResponse('get', '/repos/{owner}/{repo}/actions/runs', 200, body); // [] when valid
 * ```
 */
export class GitHubOpenApi {
  readonly #doc: Json;
  readonly #ajv: Ajv;
  readonly #compiled = new Map<string, ValidateFunction | null>();

  constructor(doc: Json) {
    this.#doc = doc;
    const components = doc.components as Json;
    for (const part of ['schemas', 'parameters', 'responses', 'requestBodies', 'headers'])
      rewriteNullable(components[part]);
    rewriteNullable(doc.paths);
    this.#ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.#ajv);
    this.#ajv.addSchema({ components: doc.components }, 'gh');
  }

  /** The operation object, or throws (the fake serves only documented operations). */
  operation(method: string, template: string): Json {
    const path = (this.#doc.paths as Json)[template];
    const op = isObject(path) ? path[method.toLowerCase()] : undefined;
    if (!isObject(op))
      throw new Error(`not in GitHub's OpenAPI description: ${method} ${template}`);
    return op;
  }

  #response(method: string, template: string, status: number): Json | null {
    const responses = this.operation(method, template).responses as Json;
    const r = responses[String(status)];
    return r === undefined ? null : deref(this.#doc, r);
  }

  /** A deep copy of GitHub's first (or named) example of an answer. */
  // biome-ignore lint/suspicious/noExplicitAny: examples are arbitrary JSON the caller reshapes.
  example(method: string, template: string, status: number, name?: string): any {
    const r = this.#response(method, template, status);
    const content = isObject(r?.content) ? (r.content['application/json'] as Json) : undefined;
    const examples = isObject(content?.examples) ? content.examples : {};
    const key = name ?? Object.keys(examples)[0];
    if (key === undefined || examples[key] === undefined)
      throw new Error(`no example for ${method} ${template} ${status}${name ? ` (${name})` : ''}`);
    const ex = deref(this.#doc, examples[key]);
    const value = 'value' in ex ? ex.value : deref(this.#doc, ex).value;
    return structuredClone(value);
  }

  /** A component example (`#/components/examples/<name>`), deep-copied. */
  // biome-ignore lint/suspicious/noExplicitAny: examples are arbitrary JSON the caller reshapes.
  componentExample(name: string): any {
    const ex = (this.#doc.components as Json).examples as Json;
    return structuredClone((ex[name] as Json).value);
  }

  #validator(key: string, schema: unknown): ValidateFunction | null {
    if (this.#compiled.has(key)) return this.#compiled.get(key) ?? null;
    const v =
      schema === undefined
        ? null
        : this.#ajv.compile(
            JSON.parse(JSON.stringify(schema).replaceAll('"#/components', '"gh#/components'))
          );
    this.#compiled.set(key, v);
    return v;
  }

  #errors(v: ValidateFunction, value: unknown): string[] {
    if (v(value)) return [];
    return (v.errors ?? [])
      .slice(0, 8)
      .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }

  /**
   * Problems of an answer: a status the operation does not document, or a body its schema
   * rejects. Empty when the answer is what GitHub describes.
   */
  checkResponse(method: string, template: string, status: number, body: unknown): string[] {
    const r = this.#response(method, template, status);
    if (r === null && status >= 400) {
      // GitHub documents its generic errors (401, rate limits, 404 for what a token cannot see)
      // once, not per operation: they are `basic-error`s.
      const v = this.#validator('basic-error', { $ref: '#/components/schemas/basic-error' });
      return v === null ? [] : this.#errors(v, body);
    }
    if (r === null) return [`status ${status} is not documented for ${method} ${template}`];
    const content = isObject(r.content) ? (r.content['application/json'] as Json) : undefined;
    if (content === undefined)
      return body === undefined || body === '' ? [] : ['the operation documents no body'];
    const key = `res ${method.toUpperCase()} ${template} ${status}`;
    const v = this.#validator(key, ERRATA[key] ?? content.schema);
    return v === null ? [] : this.#errors(v, body);
  }

  /** Problems of a request body (none when the operation takes none and none was sent). */
  checkRequestBody(method: string, template: string, body: unknown): string[] {
    const rb = deref(this.#doc, this.operation(method, template).requestBody);
    const content = isObject(rb.content) ? (rb.content['application/json'] as Json) : undefined;
    if (content === undefined)
      return body === undefined ? [] : ['the operation takes no request body'];
    if (body === undefined) return rb.required === true ? ['the request body is required'] : [];
    const v = this.#validator(`req ${method} ${template}`, content.schema);
    return v === null ? [] : this.#errors(v, body);
  }

  /** Problems of the query: unknown parameters, or values their schema rejects. */
  checkQuery(method: string, template: string, query: URLSearchParams): string[] {
    const params = ((this.operation(method, template).parameters as unknown[]) ?? []).map((p) =>
      deref(this.#doc, p)
    );
    const problems: string[] = [];
    for (const [name, raw] of query) {
      const p = params.find((q) => q.name === name && q.in === 'query');
      if (p === undefined) {
        problems.push(`unknown query parameter "${name}"`);
        continue;
      }
      const schema = deref(this.#doc, p.schema);
      if (typeof p.description === 'string' && p.description.includes('search syntax')) {
        // The schema says `date-time`, the description (same document) says search date syntax:
        // `>=2026-11-27T08:00:00Z`, `2026-11-27T08:00:00Z..2026-11-27T15:00:00Z`, `*` for open.
        const date = '(\\*|\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2})?(Z|[+-]\\d{2}:\\d{2})?)?)';
        const ok = new RegExp(`^((>=|<=|>|<)?${date}|${date}\\.\\.${date})$`).test(raw);
        if (!ok) problems.push(`query "${name}": not GitHub search date syntax: "${raw}"`);
        continue;
      }
      const value = schema.type === 'integer' || schema.type === 'number' ? Number(raw) : raw;
      const v = this.#validator(`q ${method} ${template} ${name}`, schema);
      if (v !== null) problems.push(...this.#errors(v, value).map((e) => `query "${name}": ${e}`));
    }
    return problems;
  }
}

let shared: GitHubOpenApi | null = null;

/** The api.github.com description, loaded once per test process. */
export function githubOpenApi(): GitHubOpenApi {
  if (shared === null) {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('@octokit/openapi/package.json'));
    const text = readFileSync(join(root, 'generated', 'api.github.com.json'), 'utf8');
    shared = new GitHubOpenApi(JSON.parse(text) as Json);
  }
  return shared;
}
