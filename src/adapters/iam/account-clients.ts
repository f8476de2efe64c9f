/**
 * IAM clients per account. The processor's own account is read with its own credentials; any
 * other account through a read role assumed there (`OIDCWATCH_READ_ROLE_NAME`), with the
 * credentials cached and refreshed five minutes before they expire. The central `AssumeRole` calls
 * use the central account's STS quota, so they must be rare: one per account per hour.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  type AssumeRoleCommandOutput,
  type STSClient,
} from '@aws-sdk/client-sts';

/** Temporary credentials as the SDK's credential providers return them. */
export interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
  readonly expiration?: Date | undefined;
}

/** Options of `AssumedRoleCredentials`. */
export interface AssumedRoleCredentialsOptions {
  readonly sts: STSClient;
  readonly roleName: string;
  /** @default 'oidcwatch' */
  readonly sessionName?: string;
  /** @default 3600 */
  readonly durationSeconds?: number;
  /** Refresh this long before expiry. @default 5 min */
  readonly refreshBeforeMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** The partition of the role ARNs. @default 'aws' */
  readonly partition?: string;
}

/** Credentials of the read role in each account: cached, single-flight, refreshed early. */
export class AssumedRoleCredentials {
  readonly #opts: Required<AssumedRoleCredentialsOptions>;
  readonly #cache = new Map<string, AwsCredentialIdentity & { expiration: Date }>();
  readonly #pending = new Map<string, Promise<AwsCredentialIdentity>>();
  /** `AssumeRole` calls made. */
  assumeCalls = 0;

  constructor(opts: AssumedRoleCredentialsOptions) {
    this.#opts = {
      sessionName: 'oidcwatch',
      durationSeconds: 3600,
      refreshBeforeMs: 5 * 60_000,
      now: Date.now,
      partition: 'aws',
      ...opts,
    };
  }

  /** The role assumed in `account`. */
  roleArn(account: string): string {
    return `arn:${this.#opts.partition}:iam::${account}:role/${this.#opts.roleName}`;
  }

  /** Credentials for `account`, assuming the read role when the cached ones are near expiry. */
  get(account: string): Promise<AwsCredentialIdentity> {
    const cached = this.#cache.get(account);
    if (
      cached !== undefined &&
      cached.expiration.getTime() - this.#opts.refreshBeforeMs > this.#opts.now()
    )
      return Promise.resolve(cached);
    const pending = this.#pending.get(account);
    if (pending !== undefined) return pending;
    const p = this.#assume(account).finally(() => this.#pending.delete(account));
    this.#pending.set(account, p);
    return p;
  }

  async #assume(account: string): Promise<AwsCredentialIdentity> {
    this.assumeCalls++;
    const arn = this.roleArn(account);
    let out: AssumeRoleCommandOutput;
    try {
      out = await this.#opts.sts.send(
        new AssumeRoleCommand({
          RoleArn: arn,
          RoleSessionName: this.#opts.sessionName,
          DurationSeconds: this.#opts.durationSeconds,
        })
      );
    } catch (e) {
      const err = e as Error;
      const wrapped = new Error(`sts:AssumeRole ${arn}: ${err.name}: ${err.message}`, { cause: e });
      wrapped.name = err.name;
      throw wrapped;
    }
    const c = out.Credentials;
    if (
      c?.AccessKeyId === undefined ||
      c.SecretAccessKey === undefined ||
      c.Expiration === undefined
    )
      throw new Error(`sts:AssumeRole ${arn} returned no credentials`);
    const creds = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
    this.#cache.set(account, creds);
    return creds;
  }
}

/** Options of `AccountClients`. */
export interface AccountClientsOptions {
  /** Config shared by every IAM client (region, retries, endpoint). */
  readonly clientConfig: {
    readonly region: string;
    readonly maxAttempts?: number;
    readonly endpoint?: string;
    readonly requestHandler?: {
      readonly connectionTimeout: number;
      readonly requestTimeout: number;
      readonly throwOnRequestTimeout: boolean;
    };
  };
  /** The processor's account; `null` until learnt. */
  readonly homeAccount: string | null;
  /** `null`: every account is read with the processor's own credentials. */
  readonly credentials: AssumedRoleCredentials | null;
}

/** One IAM client per account. */
export class AccountClients {
  readonly #opts: AccountClientsOptions;
  readonly #home: IAMClient;
  readonly #others = new Map<string, IAMClient>();
  #homeAccount: string | null;

  constructor(opts: AccountClientsOptions, home?: IAMClient) {
    this.#opts = opts;
    this.#home = home ?? new IAMClient({ ...opts.clientConfig });
    this.#homeAccount = opts.homeAccount;
  }

  /** Sets the processor's account once it is known (from the invocation context). */
  learnHomeAccount(account: string): void {
    this.#homeAccount ??= account;
  }

  /** The client for `account`. */
  async clientFor(account: string): Promise<IAMClient> {
    const creds = this.#opts.credentials;
    if (creds === null || account === this.#homeAccount) return this.#home;
    let client = this.#others.get(account);
    if (client === undefined) {
      client = new IAMClient({ ...this.#opts.clientConfig, credentials: () => creds.get(account) });
      this.#others.set(account, client);
    }
    return client;
  }
}
