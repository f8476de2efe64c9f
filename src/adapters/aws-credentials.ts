/**
 * Resolves the credentials a live command will use before it does anything else, so that "no
 * credentials at all" stops it at once with how to provide them, rather than as a failed call
 * among the results.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { clientConfigFromEnv } from './aws-client-config.js';
import { awsError } from './aws-error.js';

/**
 * Resolves the IAM client's credentials (the environment's keys, else the default chain).
 *
 * @throws OidcwatchError `ERR_AWS_NO_CREDENTIALS` (the message says how to provide them), or
 *   another AWS error of the chain (an SSO session expired, a profile that does not exist)
 *
 * @example
 * ```ts
 * await requireIamCredentials(io.env, 'reading IAM live');
 * ```
 */
export async function requireIamCredentials(
  env: Readonly<Record<string, string | undefined>>,
  what: string
): Promise<void> {
  const client = new IAMClient(clientConfigFromEnv(env, 'IAM'));
  try {
    await client.config.credentials();
  } catch (e) {
    throw awsError(e, what);
  } finally {
    client.destroy();
  }
}
