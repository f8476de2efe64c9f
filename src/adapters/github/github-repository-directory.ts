/**
 * The {@link RepositoryDirectory} of `audit --github` over the GitHub REST API: repositories by
 * name (a renamed or transferred one answers 301 to `/repositories/{id}`, which is followed), by
 * id, and accounts by login. With a GitHub App it asks through the installation on the owner; an
 * installation on all of the owner's repositories makes a 404 certain ("deleted"), other
 * credentials leave it open ("deleted, or not visible"). GitHub's refusals become `unchecked`
 * lookups; after a rate limit longer than the connection waits out, no call is made until it
 * resets.
 */
import type {
  OwnerLookup,
  RepositoryLookup,
  UncheckedLookup,
} from '../../domain/audit/github/repository-findings.js';
import type { RepositoryDirectory } from '../../ports.js';
import { GitHubApiError } from './github-api-error.js';
import type { GitHubConnection } from './github-connection.js';
import type { GitHubRestClient, Installation, Repository } from './github-rest-client.js';

/** Who asks, for one owner, and what a 404 then means. */
type Asker =
  | { readonly client: GitHubRestClient; readonly certain: boolean; readonly why: string }
  | { readonly client: null; readonly why: string };

/** Options of {@link GitHubRepositoryDirectory}. */
export interface GitHubRepositoryDirectoryOptions {
  /** @default Date.now */
  readonly now?: () => number;
}

function found(r: Repository): RepositoryLookup {
  return {
    kind: 'found',
    id: String(r.id),
    owner: r.owner.login,
    ownerId: String(r.owner.id),
    name: r.name,
  };
}

/** Installations asked for a repository that left its owner (each costs one call). */
const MAX_INSTALLATIONS = 20;

function clock(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * GitHub as `audit --github` reads it.
 *
 * @example
 * ```ts
 * const directory = new GitHubRepositoryDirectory(new GitHubConnection({ baseUrl, credentials }));
 * await directory.byName('acme-corp', 'reporting'); // { kind: 'found', name: 'insights', … }
 * ```
 */
export class GitHubRepositoryDirectory implements RepositoryDirectory {
  readonly #github: GitHubConnection;
  readonly #now: () => number;
  #installations: Promise<Installation[]> | null = null;
  /** Until when GitHub asked us to wait (ms), after a rate limit the connection did not wait out. */
  #blockedUntil = 0;

  constructor(github: GitHubConnection, options: GitHubRepositoryDirectoryOptions = {}) {
    this.#github = github;
    this.#now = options.now ?? Date.now;
  }

  async byName(owner: string, name: string): Promise<RepositoryLookup> {
    return this.#ask(owner, async (asker) => {
      const located = await asker.client.locateRepository(owner, name);
      if (located === null)
        return {
          kind: 'missing',
          certainty: asker.certain ? 'deleted' : 'unknown',
          why: asker.why,
        };
      if (located.kind === 'here') return found(located.repository);
      const moved = await this.#findById(located.id, asker);
      return (
        moved ?? {
          kind: 'moved',
          id: String(located.id),
          certainty: asker.certain ? 'left-owner' : 'unknown',
          why: asker.why,
        }
      );
    });
  }

  async byId(id: string, owner: string | null): Promise<RepositoryLookup> {
    return this.#ask(owner, async (asker) => {
      const r = await this.#findById(Number(id), asker);
      return (
        r ?? {
          kind: 'missing',
          certainty: 'unknown',
          why: `no repository with id ${id} is visible: ${asker.why}`,
        }
      );
    });
  }

  /**
   * The repository with this id, asked with `asker`'s credentials, then (a GitHub App) through
   * its other installations: a repository transferred to another owner is seen by the app's
   * installation there.
   */
  async #findById(
    id: number,
    asker: Extract<Asker, { client: GitHubRestClient }>
  ): Promise<RepositoryLookup | null> {
    const first = await asker.client.getRepositoryById(id);
    if (first !== null) return found(first);
    if (this.#github.credentials !== 'app') return null;
    for (const installation of (await this.#appInstallations()).slice(0, MAX_INSTALLATIONS)) {
      const client = this.#github.installation(installation.id);
      if (client === asker.client) continue;
      const r = await client.getRepositoryById(id);
      if (r !== null) return found(r);
    }
    return null;
  }

  async owner(login: string): Promise<OwnerLookup> {
    return this.#ask(login, async (asker) =>
      (await asker.client.getAccount(login)) === null ? { kind: 'missing' } : { kind: 'found' }
    );
  }

  /** The installations of the app (asked once). */
  #appInstallations(): Promise<Installation[]> {
    this.#installations ??= this.#github.app().listInstallations();
    return this.#installations;
  }

  async #askerFor(owner: string | null): Promise<Asker> {
    const kind = this.#github.credentials;
    if (kind === 'token')
      return {
        client: this.#github.direct(),
        certain: false,
        why: 'a token sees public repositories and those it was granted',
      };
    if (kind === 'anonymous')
      return {
        client: this.#github.direct(),
        certain: false,
        why: 'without credentials only public repositories are visible',
      };
    const installations = await this.#appInstallations();
    const account = (i: Installation) =>
      (i.account as { login?: string } | null)?.login?.toLowerCase() ?? '';
    const own = installations.find((i) => owner !== null && account(i) === owner.toLowerCase());
    if (own !== undefined)
      return own.repository_selection === 'all'
        ? {
            client: this.#github.installation(own.id),
            certain: true,
            why: `the GitHub App's installation on ${owner} sees all its repositories`,
          }
        : {
            client: this.#github.installation(own.id),
            certain: false,
            why: `the GitHub App's installation on ${owner} sees only the repositories selected for it`,
          };
    const any = installations[0];
    if (any === undefined) return { client: null, why: 'the GitHub App has no installation' };
    return {
      client: this.#github.installation(any.id),
      certain: false,
      why: `the GitHub App is not installed on ${owner ?? 'the owner'}, so only public repositories are visible`,
    };
  }

  async #ask<T extends RepositoryLookup | OwnerLookup>(
    owner: string | null,
    call: (asker: Extract<Asker, { client: GitHubRestClient }>) => Promise<T>
  ): Promise<T | UncheckedLookup> {
    if (this.#now() < this.#blockedUntil)
      return {
        kind: 'unchecked',
        detail: 'RATE_LIMITED',
        reason: `GitHub's rate limit is spent until ${clock(this.#blockedUntil)}; not asked`,
      };
    try {
      const asker = await this.#askerFor(owner);
      if (asker.client === null) return { kind: 'unchecked', detail: 'DENIED', reason: asker.why };
      return await call(asker);
    } catch (e) {
      if (!(e instanceof GitHubApiError))
        return { kind: 'unchecked', detail: 'UNAVAILABLE', reason: (e as Error).message };
      if (e.kind === 'rate-limited') {
        const wait = e.retryAfterMs ?? 60_000;
        this.#blockedUntil = Math.max(this.#blockedUntil, this.#now() + wait);
        return {
          kind: 'unchecked',
          detail: 'RATE_LIMITED',
          reason: `rate limited by GitHub until ${clock(this.#now() + wait)} (${e.message})`,
        };
      }
      return {
        kind: 'unchecked',
        detail: e.kind === 'denied' ? 'DENIED' : 'UNAVAILABLE',
        reason: e.message,
      };
    }
  }
}
