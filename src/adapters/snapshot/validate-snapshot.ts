/**
 * Validation of an IAM snapshot document against its JSON Schema (ajv), then the rules a schema
 * cannot say: a role or provider is listed under the account its ARN names. Errors name the file
 * and the field, as `accounts.111122223333.roles[0].arn`, and say what the value must be.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { OidcwatchError } from '../../domain/errors.js';
import type { OidcProviderInfo, RoleInfo } from '../../domain/types.js';
import { IAM_SNAPSHOT_SCHEMA } from './snapshot-schema.js';

/** One account of a snapshot. */
export interface SnapshotAccount {
  readonly roles: readonly RoleInfo[];
  readonly oidcProviders: readonly OidcProviderInfo[];
}

/** The snapshot document. */
export interface IamSnapshot {
  readonly accounts: Readonly<Record<string, SnapshotAccount>>;
}

/** The document as the schema admits it. */
interface RawSnapshot {
  readonly accounts: Record<
    string,
    {
      readonly roles: { arn: string; trustPolicy: unknown; maxSessionDuration?: number }[];
      readonly oidcProviders: {
        arn: string;
        url?: string;
        clientIds: string[];
        thumbprints?: string[];
      }[];
    }
  >;
}

let compiled: ValidateFunction<RawSnapshot> | undefined;

function validator(): ValidateFunction<RawSnapshot> {
  if (compiled === undefined) {
    const ajv = new Ajv2020({ allErrors: false, strict: true, verbose: true });
    ajv.addVocabulary(['x-expected']);
    compiled = ajv.compile<RawSnapshot>(IAM_SNAPSHOT_SCHEMA);
  }
  return compiled;
}

type SchemaNode = Readonly<Record<string, unknown>>;

/** `/accounts/111122223333/roles/0/arn` → `accounts.111122223333.roles[0].arn`, walking `doc`. */
function fieldOf(instancePath: string, doc: unknown): string {
  let field = '';
  let node: unknown = doc;
  for (const raw of instancePath.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    field += Array.isArray(node) ? `[${key}]` : field === '' ? key : `.${key}`;
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  return field;
}

/** The error to tell: a `oneOf` as a whole rather than the first of its branches. */
function chosen(errors: readonly ErrorObject[]): ErrorObject | undefined {
  return errors.find((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf') ?? errors[0];
}

function describe(error: ErrorObject, doc: unknown): string {
  const field = fieldOf(error.instancePath, doc);
  const node = (error.parentSchema ?? {}) as SchemaNode;
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    const properties = (node.properties ?? {}) as Record<string, SchemaNode>;
    const about = properties[missing]?.description;
    const name = field === '' ? missing : `${field}.${missing}`;
    return `"${name}" is missing${about === undefined ? '' : ` (${String(about)})`}`;
  }
  if (error.propertyName !== undefined)
    return `"${field}.${error.propertyName}": the key must be ${String(node['x-expected'] ?? 'valid')}`;
  const subject = field === '' ? 'the document' : `"${field}"`;
  return `${subject} must be ${String(node['x-expected'] ?? error.message ?? 'valid')}`;
}

/** The account an ARN names (`arn:aws:iam::ACCOUNT:…`). */
const accountOf = (arn: string) => arn.split(':')[4] ?? '';

/**
 * Validates a parsed snapshot document: the JSON Schema (`docs/iam-snapshot.schema.json`), then
 * that every role and provider is listed under the account its ARN names. Errors name the file
 * and the field.
 *
 * @throws OidcwatchError `ERR_SNAPSHOT_INVALID`
 *
 * @example
 * ```ts
 * const snapshot = validateSnapshot(JSON.parse(text), 'iam.json');
 * ```
 */
export function validateSnapshot(doc: unknown, file = 'IAM snapshot'): IamSnapshot {
  const validate = validator();
  if (!validate(doc)) {
    const error = chosen(validate.errors ?? []);
    throw new OidcwatchError(
      'ERR_SNAPSHOT_INVALID',
      `${file}: ${error === undefined ? 'not a valid IAM snapshot' : describe(error, doc)}`
    );
  }
  const accounts: Record<string, SnapshotAccount> = {};
  for (const [id, raw] of Object.entries(doc.accounts)) {
    const misplaced = (kind: string, path: string, arn: string): never => {
      throw new OidcwatchError(
        'ERR_SNAPSHOT_INVALID',
        `${file}: "accounts.${id}.${path}.arn" names account ${accountOf(arn)}, but the ${kind} is listed under account ${id}: list it under the account its ARN names`
      );
    };
    raw.roles.forEach((r, i) => {
      if (accountOf(r.arn) !== id) misplaced('role', `roles[${i}]`, r.arn);
    });
    raw.oidcProviders.forEach((p, i) => {
      if (accountOf(p.arn) !== id) misplaced('provider', `oidcProviders[${i}]`, p.arn);
    });
    accounts[id] = {
      roles: raw.roles.map((r) => ({
        arn: r.arn,
        trustPolicy: r.trustPolicy,
        maxSessionDuration: r.maxSessionDuration,
      })),
      oidcProviders: raw.oidcProviders.map((p) => ({
        arn: p.arn,
        url: (p.url ?? p.arn.slice(p.arn.indexOf(':oidc-provider/') + 15))
          .replace(/^https?:\/\//, '')
          .replace(/\/$/, ''),
        clientIds: p.clientIds,
        thumbprints: p.thumbprints ?? [],
      })),
    };
  }
  return { accounts };
}
