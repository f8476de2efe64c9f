/**
 * `audit --github`: every repository the audited trust policies name (owner and name wildcards
 * excepted), looked up on the GitHub that issues their jobs' tokens, once per run whatever the
 * number of roles naming it, a few at a time; what GitHub answers becomes findings
 * (`REPOSITORY_RENAMED`, `…_TRANSFERRED`, `…_NOT_FOUND`, `…_ID_MISMATCH`, `…_UNCHECKED`). A
 * repository GitHub does not answer for is reported unchecked; the audit goes on.
 */
import { accountView } from '../domain/audit/account-view.js';
import type { AuditAccountInput, AuditFinding } from '../domain/audit/audit-types.js';
import {
  type OwnerLookup,
  type RepositoryEvidence,
  type RepositoryLookup,
  repositoryFindings,
} from '../domain/audit/github/repository-findings.js';
import {
  type RepositoryMention,
  repositoriesNamed,
} from '../domain/audit/github/repository-mentions.js';
import type { RepositoryDirectory } from '../ports.js';

/** Options of {@link auditRepositoriesOnGitHub}. */
export interface GitHubAuditOptions {
  /** `true` for issuers (IAM's URL form) whose repositories this GitHub holds. */
  readonly serves: (issuerUrl: string) => boolean;
  /** Lookups in flight at once. @default 4 */
  readonly concurrency?: number;
}

/** What was looked up, for the summary line. */
export interface GitHubAuditSummary {
  /** Distinct repositories looked up. */
  readonly repositories: number;
  /** Roles naming at least one of them. */
  readonly roles: number;
  /** Values naming repositories by a pattern (not looked up), by what is a pattern. */
  readonly wildcards: { readonly owner: number; readonly name: number };
  /** Issuers of other GitHubs whose repositories were not looked up, with how many values name them. */
  readonly otherIssuers: ReadonlyMap<string, number>;
  /** Repositories GitHub did not answer for. */
  readonly unchecked: number;
}

interface Located {
  readonly account: string;
  readonly roleArn: string;
  readonly mention: RepositoryMention;
}

/** Memoised lookups: each repository (by name, by id) and owner is asked once per run. */
function memoised(directory: RepositoryDirectory): RepositoryDirectory {
  const cache = new Map<string, Promise<RepositoryLookup | OwnerLookup>>();
  const once = <T extends RepositoryLookup | OwnerLookup>(key: string, ask: () => Promise<T>) => {
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = ask();
      cache.set(key, hit);
    }
    return hit as Promise<T>;
  };
  return {
    byName: (owner, name) =>
      once(`name:${owner}/${name}`.toLowerCase(), () => directory.byName(owner, name)),
    byId: (id, owner) => once(`id:${id}`, () => directory.byId(id, owner)),
    owner: (login) => once(`owner:${login}`.toLowerCase(), () => directory.owner(login)),
  };
}

async function evidenceFor(
  mention: RepositoryMention,
  github: RepositoryDirectory
): Promise<RepositoryEvidence> {
  const ref = mention.repository;
  if (ref.kind === 'id') return { byId: await github.byId(ref.repositoryId, null) };
  if (ref.kind === 'name') {
    const byName = await github.byName(ref.owner, ref.name);
    return byName.kind === 'missing'
      ? { byName, owner: await github.owner(ref.owner) }
      : { byName };
  }
  const byId = await github.byId(ref.repositoryId, ref.owner);
  if (byId.kind !== 'missing') return { byId };
  const byName = await github.byName(ref.owner, ref.name);
  return { byId, byName };
}

/** Runs `work` over `items`, at most `limit` at a time, results in item order. */
async function pooled<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function repositoryKey(m: RepositoryMention): string {
  const r = m.repository;
  return r.kind === 'name' ? `${r.owner}/${r.name}`.toLowerCase() : `id:${r.repositoryId}`;
}

/**
 * Looks the repositories of the audited accounts' trust policies up on GitHub.
 *
 * @param accounts - the IAM snapshot's accounts, as `auditAccounts` takes them
 * @param directory - GitHub (the fake in tests)
 * @returns the findings (merge them into the audit's report with `mergeFindings`) and a summary
 *
 * @example
 * ```ts
 * const { findings } = await auditRepositoriesOnGitHub(snapshot.accounts, directory, {
 *   serves: servedIssuers(apiUrl).serves,
 * });
 * const report = mergeFindings(auditAccounts(snapshot.accounts), findings);
 * ```
 */
export async function auditRepositoriesOnGitHub(
  accounts: Readonly<Record<string, AuditAccountInput>>,
  directory: RepositoryDirectory,
  options: GitHubAuditOptions
): Promise<{ findings: AuditFinding[]; summary: GitHubAuditSummary }> {
  const located: Located[] = [];
  const wildcards = { owner: 0, name: 0 };
  const otherIssuers = new Map<string, number>();
  for (const account of Object.keys(accounts).sort()) {
    const view = accountView(account, accounts[account] as AuditAccountInput, {});
    for (const role of view.roles) {
      const named = repositoriesNamed(role.policy);
      for (const u of named.unresolvable) wildcards[u.wildcard] += 1;
      for (const mention of named.mentions) {
        if (options.serves(mention.issuer)) located.push({ account, roleArn: role.arn, mention });
        else otherIssuers.set(mention.issuer, (otherIssuers.get(mention.issuer) ?? 0) + 1);
      }
    }
  }
  const github = memoised(directory);
  const evidence = await pooled(located, options.concurrency ?? 4, (l) =>
    evidenceFor(l.mention, github)
  );
  const findings: AuditFinding[] = [];
  const unchecked = new Set<string>();
  located.forEach((l, i) => {
    for (const d of repositoryFindings(l.mention, evidence[i] as RepositoryEvidence)) {
      if (d.code === 'REPOSITORY_UNCHECKED') unchecked.add(repositoryKey(l.mention));
      findings.push({ ...d, account: l.account, roleArn: l.roleArn, providerArn: null });
    }
  });
  return {
    findings,
    summary: {
      repositories: new Set(located.map((l) => repositoryKey(l.mention))).size,
      roles: new Set(located.map((l) => l.roleArn)).size,
      wildcards,
      otherIssuers,
      unchecked: unchecked.size,
    },
  };
}
