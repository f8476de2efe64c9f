/**
 * Reaching the repository a record names, as the app's installation on it (or with a token):
 *
 * - name-based subject: `GET /repos/{owner}/{repo}/installation` (app JWT); a 404 means the app is
 *   not installed there, or the repository is not among those it was given;
 * - immutable subject (`owner@id/name@id`): the installation whose account has the owner's id
 *   (`GET /app/installations`, cached), so a renamed owner is still found; then the repository by
 *   its name, checked against its id, else looked up by id among the installation's repositories,
 *   so a repository renamed since (or a new one that took its old name) is never confused.
 *
 * The repository's current name is what later calls use (a rename answers 301, which is followed).
 * Answers are cached per repository for a few minutes.
 */
import type { RepositoryRef } from '../../domain/annotate/job-facts.js';
import type { GitHubConnection } from './github-connection.js';
import type { GitHubRestClient, Installation } from './github-rest-client.js';

/** A repository the annotator can act on, or why not. */
export type RepositoryAccess =
  | {
      readonly status: 'ok';
      readonly client: GitHubRestClient;
      /** `null` with token or anonymous credentials. */
      readonly installationId: number | null;
      /** The repository's current owner and name (after any rename). */
      readonly owner: string;
      readonly name: string;
      readonly id: number;
    }
  | { readonly status: 'not-installed'; readonly reason: string };

/** Options of {@link RepositoryResolver}. */
export interface RepositoryResolverOptions {
  readonly connection: GitHubConnection;
  /** How long an answer is reused, ms. @default 5 minutes */
  readonly ttlMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

type Resolved =
  | { status: 'ok'; installationId: number | null; owner: string; name: string; id: number }
  | { status: 'not-installed'; reason: string };

/**
 * Resolves repositories to the client that may act on them.
 *
 * @example
 * ```ts
 * const resolver = new RepositoryResolver({ connection });
 * const access = await resolver.resolve({ owner: 'acme-corp', name: 'payments-api', ownerId: null, repositoryId: null });
 * if (access.status === 'ok') await access.client.listWorkflowRuns(access.owner, access.name, query);
 * ```
 */
export class RepositoryResolver {
  readonly #connection: GitHubConnection;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, { value: Resolved; until: number }>();
  #installations: { value: Promise<Installation[]>; until: number } | null = null;

  constructor(options: RepositoryResolverOptions) {
    this.#connection = options.connection;
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** The access to `ref`'s repository. Rejects only with a `GitHubApiError` GitHub gave. */
  async resolve(ref: RepositoryRef): Promise<RepositoryAccess> {
    const key =
      `${ref.owner}/${ref.name}#${ref.ownerId ?? ''}/${ref.repositoryId ?? ''}`.toLowerCase();
    const cached = this.#cache.get(key);
    let value: Resolved;
    if (cached !== undefined && cached.until > this.#now()) value = cached.value;
    else {
      value = await this.#resolve(ref);
      this.#cache.set(key, { value, until: this.#now() + this.#ttlMs });
    }
    if (value.status !== 'ok') return value;
    const client =
      value.installationId === null
        ? this.#connection.direct()
        : this.#connection.installation(value.installationId);
    return { ...value, client };
  }

  async #resolve(ref: RepositoryRef): Promise<Resolved> {
    const full = `${ref.owner}/${ref.name}`;
    if (this.#connection.credentials !== 'app') {
      const repo = await this.#connection.direct().getRepository(ref.owner, ref.name);
      if (repo === null)
        return {
          status: 'not-installed',
          reason: `${full} cannot be read with the credentials given`,
        };
      if (ref.repositoryId !== null && String(repo.id) !== ref.repositoryId)
        return {
          status: 'not-installed',
          reason: `${full} is now another repository (id ${repo.id}, the record names id ${ref.repositoryId}); finding it by id needs the GitHub App`,
        };
      return {
        status: 'ok',
        installationId: null,
        owner: repo.owner.login,
        name: repo.name,
        id: Number(repo.id),
      };
    }
    const installation =
      ref.ownerId === null
        ? await this.#connection.app().repositoryInstallation(ref.owner, ref.name)
        : await this.#installationOfAccount(ref.ownerId);
    if (installation === null || installation === undefined)
      return {
        status: 'not-installed',
        reason:
          ref.ownerId === null
            ? `the GitHub App is not installed on ${full} (or the repository is not among those it was given)`
            : `the GitHub App is not installed on the account with id ${ref.ownerId} (${ref.owner})`,
      };
    const client = this.#connection.installation(installation.id);
    const repo = await client.getRepository(ref.owner, ref.name);
    if (repo !== null && (ref.repositoryId === null || String(repo.id) === ref.repositoryId))
      return {
        status: 'ok',
        installationId: installation.id,
        owner: repo.owner.login,
        name: repo.name,
        id: Number(repo.id),
      };
    if (ref.repositoryId !== null) {
      const wanted = Number(ref.repositoryId);
      const listed = await client.listInstallationRepositories(10, (r) => Number(r.id) === wanted);
      const byId = listed.find((r) => Number(r.id) === wanted);
      if (byId !== undefined)
        return {
          status: 'ok',
          installationId: installation.id,
          owner: byId.owner.login,
          name: byId.name,
          id: Number(byId.id),
        };
      return {
        status: 'not-installed',
        reason: `repository id ${ref.repositoryId} (${full}) is not among the repositories the GitHub App's installation can reach`,
      };
    }
    return {
      status: 'not-installed',
      reason: `${full} cannot be read by the GitHub App's installation`,
    };
  }

  async #installationOfAccount(ownerId: string): Promise<Installation | undefined> {
    const now = this.#now();
    if (this.#installations === null || this.#installations.until <= now) {
      const value = this.#connection.app().listInstallations();
      this.#installations = { value, until: now + this.#ttlMs };
      value.catch(() => {
        this.#installations = null;
      });
    }
    const list = await this.#installations.value;
    return list.find((i) => i.account !== null && String(i.account.id) === ownerId);
  }
}
