/**
 * The live `IamReader` of the CLI: IAM with the default credential chain (honouring
 * `AWS_ENDPOINT_URL`), and a record of whether AWS could be reached at all so the command can
 * exit 2 (README, "Conventions") instead of pretending every record was enriched.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import type { IamLookup, IamReader } from '../../ports.js';
import { clientConfigFromEnv } from '../aws-client-config.js';
import { IamApiReader } from './iam-api-reader.js';

const ACCESS_PROBLEM =
  /CredentialsProviderError|Could not load credentials|AccessDenied|not authorized|InvalidClientTokenId|UnrecognizedClient|ExpiredToken|SignatureDoesNotMatch|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|socket hang up|TimeoutError/i;

/** A live reader that remembers the first sign that AWS is unreachable or not permitted. */
export interface CliIamReader extends IamReader {
  /** The first access problem seen, or `null`. */
  readonly accessProblem: string | null;
}

/** Wraps a reader so that access problems are recorded. */
export function watchAccess(inner: IamReader): CliIamReader {
  let accessProblem: string | null = null;
  const watch = async <T>(p: Promise<IamLookup<T>>): Promise<IamLookup<T>> => {
    const r = await p;
    if (!r.ok && accessProblem === null && ACCESS_PROBLEM.test(r.reason)) accessProblem = r.reason;
    return r;
  };
  return {
    source: inner.source,
    get accessProblem() {
      return accessProblem;
    },
    getRole: (a, r) => watch(inner.getRole(a, r)),
    listOidcProviders: (a) => watch(inner.listOidcProviders(a)),
    listRolesTrustingProvider: (a, p) => watch(inner.listRolesTrustingProvider(a, p)),
    inferOwners: (a) => watch(inner.inferOwners(a)),
  };
}

/** The CLI's live reader, built from the environment. */
export function createCliIamReader(
  env: Readonly<Record<string, string | undefined>>
): CliIamReader {
  const client = new IAMClient(clientConfigFromEnv(env, 'IAM'));
  return watchAccess(new IamApiReader({ clientFor: async () => client }));
}
