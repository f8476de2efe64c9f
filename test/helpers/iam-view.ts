/**
 * Builds what IAM says about an account, for the classifier tests: trust policies written the way
 * people write them for GitHub Actions, roles, OIDC providers, `IamView`s for `classifyCall`, and
 * IAM snapshots (docs/iam-snapshot.md) for `diagnoseRecord` through `SnapshotIamReader`.
 */

import {
  type IamSnapshot,
  SnapshotIamReader,
  validateSnapshot,
} from '../../src/adapters/snapshot/iam-snapshot.js';
import { classifyCall } from '../../src/domain/classify/classify.js';
import type { Diagnosis, IamView, OidcProviderInfo, RoleInfo } from '../../src/domain/types.js';
import {
  ACCOUNT,
  callOf,
  GITHUB_ISSUER,
  providerArn,
  roleArn,
  STS_AUDIENCE,
} from './cloudtrail-records.js';

/** `token.actions.githubusercontent.com:aud`. */
export const AUD_KEY = `${GITHUB_ISSUER}:aud`;
/** `token.actions.githubusercontent.com:sub`. */
export const SUB_KEY = `${GITHUB_ISSUER}:sub`;

/** An IAM `Condition` block. */
export type Condition = Record<string, Record<string, string | string[]>>;

/** One trust-policy statement as JSON. */
export type Statement = Record<string, unknown>;

/** A trust-policy document as JSON. */
export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: Statement[];
}

/** What an Allow statement for web identity names. */
export interface WebIdentityStatementSpec {
  /** @default 'GitHubActions' */
  readonly sid?: string | null;
  /** @default the GitHub provider of the account */
  readonly provider?: string;
  /** @default 'sts:AssumeRoleWithWebIdentity' */
  readonly action?: string | string[];
  /** @default none */
  readonly condition?: Condition;
  /** @default 'Allow' */
  readonly effect?: 'Allow' | 'Deny';
  /** @default ACCOUNT */
  readonly account?: string;
}

/** An Allow (or Deny) statement trusting an OIDC provider for `sts:AssumeRoleWithWebIdentity`. */
export function webIdentityStatement(spec: WebIdentityStatementSpec = {}): Statement {
  const sid = spec.sid === undefined ? 'GitHubActions' : spec.sid;
  return {
    ...(sid === null ? {} : { Sid: sid }),
    Effect: spec.effect ?? 'Allow',
    Principal: { Federated: spec.provider ?? providerArn(spec.account ?? ACCOUNT) },
    Action: spec.action ?? 'sts:AssumeRoleWithWebIdentity',
    ...(spec.condition === undefined ? {} : { Condition: spec.condition }),
  };
}

/** A trust policy of the given statements (Version 2012-10-17). */
export function trustPolicy(...statements: Statement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * The policy GitHub's guide recommends: `StringEquals` on aud, and `sub` under `operator`.
 *
 * @example
 * ```ts
 * githubTrustPolicy('repo:acme-corp/api:ref:refs/heads/main');
 * githubTrustPolicy(['repo:acme-corp/web:*'], { operator: 'StringLike' });
 * ```
 */
export function githubTrustPolicy(
  sub: string | string[],
  options: { operator?: string; aud?: string; account?: string; sid?: string } = {}
): PolicyDocument {
  const operator = options.operator ?? 'StringEquals';
  const aud = { [AUD_KEY]: options.aud ?? STS_AUDIENCE };
  const condition: Condition =
    operator === 'StringEquals'
      ? { StringEquals: { ...aud, [SUB_KEY]: sub } }
      : { StringEquals: aud, [operator]: { [SUB_KEY]: sub } };
  return trustPolicy(
    webIdentityStatement({
      condition,
      ...(options.account === undefined ? {} : { account: options.account }),
      ...(options.sid === undefined ? {} : { sid: options.sid }),
    })
  );
}

/** A role of the account. */
export function role(
  name: string,
  policy: unknown,
  options: { account?: string; maxSessionDuration?: number } = {}
): RoleInfo {
  return {
    arn: roleArn(name, options.account ?? ACCOUNT),
    trustPolicy: policy,
    maxSessionDuration: options.maxSessionDuration ?? 3600,
  };
}

/** The account's GitHub OIDC provider, as IAM lists it. */
export function githubProvider(
  options: { account?: string; clientIds?: string[]; url?: string; thumbprints?: string[] } = {}
): OidcProviderInfo {
  const url = options.url ?? GITHUB_ISSUER;
  return {
    arn: providerArn(options.account ?? ACCOUNT, url),
    url,
    clientIds: options.clientIds ?? [STS_AUDIENCE],
    thumbprints: options.thumbprints ?? ['6938fd4d98bab03faadb97b34396831e3780aea1'],
  };
}

/** What an `ok` view holds. */
export interface ViewSpec {
  /** The record's role; `null`: it does not exist; `undefined`: the record names none. */
  readonly role?: RoleInfo | null;
  /** @default [githubProvider()] */
  readonly providers?: readonly OidcProviderInfo[];
  readonly rolesTrustingProvider?: readonly RoleInfo[];
  readonly knownOwners?: readonly string[];
}

/** An `ok` IAM view read from a snapshot. */
export function iamView(spec: ViewSpec = {}): IamView {
  return {
    status: 'ok',
    source: 'snapshot',
    role: spec.role,
    providers: spec.providers ?? [githubProvider()],
    rolesTrustingProvider: spec.rolesTrustingProvider,
    knownOwners: spec.knownOwners ?? [],
    stale: false,
  };
}

/** A view whose IAM read failed. */
export function failedView(reason: string, source: 'snapshot' | 'iam' | 'none' = 'iam'): IamView {
  return { status: 'failed', reason, source };
}

/** Reads `record` and classifies it against `view`. */
export function diagnose(record: unknown, view: IamView): Diagnosis {
  return classifyCall(callOf(record), view);
}

/** One account of a snapshot. */
export interface SnapshotAccountSpec {
  readonly roles: readonly RoleInfo[];
  /** @default [githubProvider({ account })] */
  readonly oidcProviders?: readonly OidcProviderInfo[];
}

/** A validated IAM snapshot of the given accounts. */
export function iamSnapshot(accounts: Record<string, SnapshotAccountSpec>): IamSnapshot {
  const doc = {
    accounts: Object.fromEntries(
      Object.entries(accounts).map(([id, a]) => [
        id,
        { roles: a.roles, oidcProviders: a.oidcProviders ?? [githubProvider({ account: id })] },
      ])
    ),
  };
  return validateSnapshot(JSON.parse(JSON.stringify(doc)), 'test snapshot');
}

/** A snapshot reader over one account ({@link ACCOUNT} unless told otherwise). */
export function snapshotReader(
  roles: readonly RoleInfo[],
  options: { account?: string; oidcProviders?: readonly OidcProviderInfo[] } = {}
): SnapshotIamReader {
  const account = options.account ?? ACCOUNT;
  return new SnapshotIamReader(
    iamSnapshot({
      [account]: {
        roles,
        ...(options.oidcProviders === undefined ? {} : { oidcProviders: options.oidcProviders }),
      },
    })
  );
}
