/**
 * The IAM snapshot (DESIGN.md §4): what the processor would read from IAM, as a file. For an
 * account listed in it the snapshot is the whole truth (a role not listed does not exist); an
 * account not listed cannot be enriched.
 */
import { readFile } from 'node:fs/promises';
import { OidcwatchError } from '../../domain/errors.js';
import { inferAccountOwners, trustsProvider } from '../../domain/policy/trusted-providers.js';
import type { OidcProviderInfo, RoleInfo } from '../../domain/types.js';
import type { IamLookup, IamReader } from '../../ports.js';

/** One account of a snapshot. */
export interface SnapshotAccount {
  readonly roles: readonly RoleInfo[];
  readonly oidcProviders: readonly OidcProviderInfo[];
}

/** The snapshot document. */
export interface IamSnapshot {
  readonly accounts: Readonly<Record<string, SnapshotAccount>>;
}

const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/.+/;
const PROVIDER_ARN = /^arn:aws[\w-]*:iam::\d{12}:oidc-provider\/.+/;

function fail(file: string, message: string): never {
  throw new OidcwatchError('ERR_SNAPSHOT_INVALID', `${file}: ${message}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(file: string, v: unknown, path: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    fail(file, `"${path}" must be an array of strings`);
  return v as string[];
}

function validateRole(file: string, raw: unknown, path: string): RoleInfo {
  if (!isRecord(raw)) fail(file, `"${path}" must be an object`);
  if (typeof raw.arn !== 'string' || !ROLE_ARN.test(raw.arn))
    fail(file, `"${path}.arn" must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)`);
  if (
    raw.trustPolicy === undefined ||
    (typeof raw.trustPolicy !== 'string' && !isRecord(raw.trustPolicy))
  )
    fail(file, `"${path}.trustPolicy" must be a policy object or its (URL-encoded) JSON text`);
  if (raw.maxSessionDuration !== undefined && typeof raw.maxSessionDuration !== 'number')
    fail(file, `"${path}.maxSessionDuration" must be a number of seconds`);
  return {
    arn: raw.arn,
    trustPolicy: raw.trustPolicy,
    maxSessionDuration: raw.maxSessionDuration as number | undefined,
  };
}

function validateProvider(file: string, raw: unknown, path: string): OidcProviderInfo {
  if (!isRecord(raw)) fail(file, `"${path}" must be an object`);
  if (typeof raw.arn !== 'string' || !PROVIDER_ARN.test(raw.arn))
    fail(
      file,
      `"${path}.arn" must be an OIDC provider ARN (arn:aws:iam::ACCOUNT:oidc-provider/URL)`
    );
  const url =
    typeof raw.url === 'string' ? raw.url : raw.arn.slice(raw.arn.indexOf(':oidc-provider/') + 15);
  return {
    arn: raw.arn,
    url: url.replace(/^https?:\/\//, '').replace(/\/$/, ''),
    clientIds: stringList(file, raw.clientIds, `${path}.clientIds`),
    thumbprints: stringList(file, raw.thumbprints, `${path}.thumbprints`),
  };
}

/**
 * Validates a parsed snapshot document. Errors name the file and the field.
 *
 * @throws OidcwatchError `ERR_SNAPSHOT_INVALID`
 */
export function validateSnapshot(doc: unknown, file = 'IAM snapshot'): IamSnapshot {
  if (!isRecord(doc) || !isRecord(doc.accounts))
    fail(file, '"accounts" must be an object keyed by account id');
  const accounts: Record<string, SnapshotAccount> = {};
  for (const [id, raw] of Object.entries(doc.accounts)) {
    const path = `accounts.${id}`;
    if (!/^\d{12}$/.test(id)) fail(file, `"${path}": account ids are 12 digits`);
    if (!isRecord(raw)) fail(file, `"${path}" must be an object`);
    const roles = raw.roles ?? [];
    const providers = raw.oidcProviders ?? [];
    if (!Array.isArray(roles)) fail(file, `"${path}.roles" must be an array`);
    if (!Array.isArray(providers)) fail(file, `"${path}.oidcProviders" must be an array`);
    accounts[id] = {
      roles: roles.map((r, i) => validateRole(file, r, `${path}.roles[${i}]`)),
      oidcProviders: providers.map((p, i) =>
        validateProvider(file, p, `${path}.oidcProviders[${i}]`)
      ),
    };
  }
  return { accounts };
}

/** An `IamReader` answering from a snapshot. Lookups are indexed once per account. */
export class SnapshotIamReader implements IamReader {
  readonly source = 'snapshot' as const;
  readonly #snapshot: IamSnapshot;
  readonly #roles = new Map<string, Map<string, RoleInfo>>();
  readonly #trusting = new Map<string, IamLookup<readonly RoleInfo[]>>();
  readonly #owners = new Map<string, IamLookup<readonly string[]>>();

  constructor(snapshot: IamSnapshot) {
    this.#snapshot = snapshot;
    for (const [id, account] of Object.entries(snapshot.accounts))
      this.#roles.set(id, new Map(account.roles.map((r) => [r.arn, r])));
  }

  #missing(account: string): { ok: false; reason: string } {
    return { ok: false, reason: `account ${account} is not in the IAM snapshot` };
  }

  async getRole(account: string, roleArn: string): Promise<IamLookup<RoleInfo | null>> {
    const roles = this.#roles.get(account);
    if (roles === undefined) return this.#missing(account);
    return { ok: true, value: roles.get(roleArn) ?? null };
  }

  async listOidcProviders(account: string): Promise<IamLookup<readonly OidcProviderInfo[]>> {
    const a = this.#snapshot.accounts[account];
    return a === undefined ? this.#missing(account) : { ok: true, value: a.oidcProviders };
  }

  async listRolesTrustingProvider(
    account: string,
    providerArn: string
  ): Promise<IamLookup<readonly RoleInfo[]>> {
    const key = `${account} ${providerArn}`;
    const hit = this.#trusting.get(key);
    if (hit !== undefined) return hit;
    const a = this.#snapshot.accounts[account];
    const result: IamLookup<readonly RoleInfo[]> =
      a === undefined
        ? this.#missing(account)
        : { ok: true, value: a.roles.filter((r) => trustsProvider(r, providerArn)) };
    this.#trusting.set(key, result);
    return result;
  }

  async inferOwners(account: string): Promise<IamLookup<readonly string[]>> {
    const hit = this.#owners.get(account);
    if (hit !== undefined) return hit;
    const a = this.#snapshot.accounts[account];
    const result: IamLookup<readonly string[]> =
      a === undefined ? this.#missing(account) : { ok: true, value: inferAccountOwners(a.roles) };
    this.#owners.set(account, result);
    return result;
  }
}

/**
 * Reads and validates a snapshot file.
 *
 * @throws OidcwatchError `ERR_INPUT_UNREADABLE` (the file cannot be read) or `ERR_SNAPSHOT_INVALID`
 *
 * @example
 * ```ts
 * const reader = new SnapshotIamReader(await loadSnapshot('examples/iam-snapshot.json'));
 * ```
 */
export async function loadSnapshot(file: string): Promise<IamSnapshot> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new OidcwatchError(
      'ERR_INPUT_UNREADABLE',
      `cannot read IAM snapshot ${file}: ${(e as Error).message}`,
      { cause: e }
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new OidcwatchError(
      'ERR_SNAPSHOT_INVALID',
      `${file}: not JSON (${(e as Error).message})`,
      { cause: e }
    );
  }
  return validateSnapshot(doc, file);
}
