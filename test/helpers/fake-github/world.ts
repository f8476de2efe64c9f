/**
 * The state of the fake GitHub: accounts, app installations, repositories (with former names),
 * workflow runs and their jobs, files at commits, and what clients created (check runs,
 * comments). Tests describe a situation with the `add…` methods; the server answers from it.
 */

/** A user or organisation. */
export interface FakeAccount {
  readonly id: number;
  readonly login: string;
  readonly type: 'Organization' | 'User';
}

/** What an installation may do, as GitHub App permissions (`checks: 'write'`, …). */
export type FakePermissions = Readonly<Record<string, 'read' | 'write'>>;

/** An installation of the app on an account. */
export interface FakeInstallation {
  readonly id: number;
  readonly account: FakeAccount;
  readonly permissions: FakePermissions;
  /** `all`, or only `repositoryIds`. */
  readonly repositorySelection: 'all' | 'selected';
  readonly repositoryIds: number[];
}

/**
 * A repository; `formerNames` (and `formerFullNames`, after a transfer) answer 301 to where it lives
 * now, as GitHub does after a rename or transfer.
 */
export interface FakeRepository {
  readonly id: number;
  owner: FakeAccount;
  name: string;
  readonly formerNames: string[];
  /** `owner/name` it had before a transfer. */
  readonly formerFullNames: string[];
  readonly private: boolean;
  readonly defaultBranch: string;
}

/** A workflow run (its latest attempt's status; jobs carry per-attempt times). */
export interface FakeRun {
  readonly id: number;
  readonly repositoryId: number;
  /** The workflow's name (`Deploy`). */
  readonly name: string;
  /** `.github/workflows/deploy.yml` */
  readonly path: string;
  readonly event: string;
  readonly headBranch: string | null;
  readonly headSha: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'cancelled' | null;
  readonly createdAt: string;
  runStartedAt: string;
  updatedAt: string;
  runAttempt: number;
  readonly runNumber: number;
  /** Numbers of the pull requests the run is for. */
  readonly pullRequests: readonly number[];
}

/** A step of a job. */
export interface FakeStep {
  readonly name: string;
  readonly status: 'queued' | 'in_progress' | 'completed';
  readonly conclusion: 'success' | 'failure' | 'skipped' | null;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
}

/** A job of one attempt of a run. */
export interface FakeJob {
  readonly id: number;
  readonly runId: number;
  readonly runAttempt: number;
  readonly name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'cancelled' | 'skipped' | null;
  readonly createdAt: string;
  readonly startedAt: string;
  completedAt: string | null;
  readonly steps: readonly FakeStep[];
}

/** A check run a client created. */
export interface FakeCheckRun {
  readonly id: number;
  readonly repositoryId: number;
  readonly installationId: number | null;
  /** The request body as sent. */
  readonly request: Record<string, unknown>;
  /** The answer given. */
  readonly response: Record<string, unknown>;
}

/** A comment on an issue or pull request. */
export interface FakeComment {
  readonly id: number;
  readonly repositoryId: number;
  readonly issueNumber: number;
  body: string;
  readonly createdAt: string;
  updatedAt: string;
  readonly byApp: boolean;
}

let nextId = 1_000_000;

/** The world the fake answers from. */
export class FakeGitHubWorld {
  readonly accounts: FakeAccount[] = [];
  readonly installations: FakeInstallation[] = [];
  readonly repositories: FakeRepository[] = [];
  readonly runs: FakeRun[] = [];
  readonly jobs: FakeJob[] = [];
  /** `repositoryId@sha:path` → text. */
  readonly files = new Map<string, string>();
  readonly checkRuns: FakeCheckRun[] = [];
  readonly comments: FakeComment[] = [];

  /** A fresh id (GitHub ids are positive integers). */
  id(): number {
    nextId += 1;
    return nextId;
  }

  addAccount(
    login: string,
    options: { id?: number; type?: FakeAccount['type'] } = {}
  ): FakeAccount {
    const account: FakeAccount = {
      id: options.id ?? this.id(),
      login,
      type: options.type ?? 'Organization',
    };
    this.accounts.push(account);
    return account;
  }

  addRepository(
    owner: FakeAccount,
    name: string,
    options: { id?: number; private?: boolean; defaultBranch?: string } = {}
  ): FakeRepository {
    const repo: FakeRepository = {
      id: options.id ?? this.id(),
      owner,
      name,
      formerNames: [],
      formerFullNames: [],
      private: options.private ?? true,
      defaultBranch: options.defaultBranch ?? 'main',
    };
    this.repositories.push(repo);
    return repo;
  }

  /** Renames a repository: its old name then answers 301. */
  rename(repo: FakeRepository, newName: string): void {
    repo.formerNames.push(repo.name);
    repo.name = newName;
  }

  /** Transfers a repository to another owner: its old `owner/name` then answers 301. */
  transfer(repo: FakeRepository, to: FakeAccount): void {
    repo.formerFullNames.push(`${repo.owner.login}/${repo.name}`);
    repo.owner = to;
  }

  /** Deletes a repository: its name and id then answer 404. */
  deleteRepository(repo: FakeRepository): void {
    this.repositories.splice(this.repositories.indexOf(repo), 1);
  }

  /** Installs the app on `account`, for all its repositories or only `repositories`. */
  install(
    account: FakeAccount,
    options: {
      id?: number;
      permissions?: FakePermissions;
      repositories?: readonly FakeRepository[];
    } = {}
  ): FakeInstallation {
    const inst: FakeInstallation = {
      id: options.id ?? this.id(),
      account,
      permissions: options.permissions ?? {
        checks: 'write',
        actions: 'read',
        contents: 'read',
        metadata: 'read',
      },
      repositorySelection: options.repositories === undefined ? 'all' : 'selected',
      repositoryIds: (options.repositories ?? []).map((r) => r.id),
    };
    this.installations.push(inst);
    return inst;
  }

  addRun(
    repo: FakeRepository,
    run: Partial<Omit<FakeRun, 'repositoryId'>> & Pick<FakeRun, 'headSha' | 'createdAt'>
  ): FakeRun {
    const r: FakeRun = {
      id: run.id ?? this.id(),
      repositoryId: repo.id,
      name: run.name ?? 'Deploy',
      path: run.path ?? '.github/workflows/deploy.yml',
      event: run.event ?? 'push',
      headBranch: run.headBranch === undefined ? repo.defaultBranch : run.headBranch,
      headSha: run.headSha,
      status: run.status ?? 'completed',
      conclusion: run.conclusion === undefined ? 'failure' : run.conclusion,
      createdAt: run.createdAt,
      runStartedAt: run.runStartedAt ?? run.createdAt,
      updatedAt: run.updatedAt ?? run.createdAt,
      runAttempt: run.runAttempt ?? 1,
      runNumber: run.runNumber ?? this.runs.filter((x) => x.repositoryId === repo.id).length + 1,
      pullRequests: run.pullRequests ?? [],
    };
    this.runs.push(r);
    return r;
  }

  addJob(run: FakeRun, job: Partial<Omit<FakeJob, 'runId'>> & Pick<FakeJob, 'startedAt'>): FakeJob {
    const j: FakeJob = {
      id: job.id ?? this.id(),
      runId: run.id,
      runAttempt: job.runAttempt ?? 1,
      name: job.name ?? 'deploy',
      status: job.status ?? 'completed',
      conclusion: job.conclusion === undefined ? 'failure' : job.conclusion,
      createdAt: job.createdAt ?? job.startedAt,
      startedAt: job.startedAt,
      completedAt: job.completedAt === undefined ? null : job.completedAt,
      steps: job.steps ?? [],
    };
    this.jobs.push(j);
    return j;
  }

  addFile(repo: FakeRepository, sha: string, path: string, text: string): void {
    this.files.set(`${repo.id}@${sha}:${path}`, text);
  }

  /** The repository a name (current or former) or id refers to. */
  repositoryByName(owner: string, name: string): FakeRepository | undefined {
    const o = owner.toLowerCase();
    const n = name.toLowerCase();
    return this.repositories.find(
      (r) => r.owner.login.toLowerCase() === o && r.name.toLowerCase() === n
    );
  }

  /** A repository that used to be called `owner/name` (and no current one is). */
  movedRepository(owner: string, name: string): FakeRepository | undefined {
    const o = owner.toLowerCase();
    const n = name.toLowerCase();
    return this.repositories.find(
      (r) =>
        (r.owner.login.toLowerCase() === o && r.formerNames.some((f) => f.toLowerCase() === n)) ||
        r.formerFullNames.some((f) => f.toLowerCase() === `${o}/${n}`)
    );
  }

  /** The account of a login, if any. */
  accountByLogin(login: string): FakeAccount | undefined {
    return this.accounts.find((a) => a.login.toLowerCase() === login.toLowerCase());
  }

  repositoryById(id: number): FakeRepository | undefined {
    return this.repositories.find((r) => r.id === id);
  }

  /** The installation whose selection includes `repo`, if any. */
  installationOf(repo: FakeRepository): FakeInstallation | undefined {
    return this.installations.find(
      (i) =>
        i.account.id === repo.owner.id &&
        (i.repositorySelection === 'all' || i.repositoryIds.includes(repo.id))
    );
  }

  /** Check runs created on a repository. */
  checkRunsOf(repo: FakeRepository): FakeCheckRun[] {
    return this.checkRuns.filter((c) => c.repositoryId === repo.id);
  }
}
