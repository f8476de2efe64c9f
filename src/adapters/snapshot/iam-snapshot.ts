/**
 * The IAM snapshot (docs/iam-snapshot.md): what the processor would read from IAM, as a file. For
 * an account listed in it the snapshot is the whole truth (a role not listed does not exist); an
 * account not listed cannot be enriched. Read, stripped of a byte-order mark, and validated
 * against its JSON Schema.
 */
import { readFile } from 'node:fs/promises';
import { OidcwatchError } from '../../domain/errors.js';
import { inferAccountOwners, trustsProvider } from '../../domain/policy/trusted-providers.js';
import type { OidcProviderInfo, RoleInfo } from '../../domain/types.js';
import type { IamLookup, IamReader } from '../../ports.js';
import { type IamSnapshot, validateSnapshot } from './validate-snapshot.js';

export type { IamSnapshot, SnapshotAccount } from './validate-snapshot.js';
export { validateSnapshot } from './validate-snapshot.js';

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
    // A UTF-8 byte-order mark (some Windows editors write one) is not part of the JSON.
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new OidcwatchError(
      'ERR_SNAPSHOT_INVALID',
      `${file}: not JSON (${(e as Error).message})`,
      { cause: e }
    );
  }
  return validateSnapshot(doc, file);
}
