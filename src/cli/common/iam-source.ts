/**
 * Chooses where IAM answers come from: the snapshot file (`--iam-snapshot`), or live IAM with the
 * default credential chain (honouring `AWS_ENDPOINT_URL`). Live, the credentials are resolved
 * first: without any, the command stops before printing a result, saying how to provide them.
 */
import { loadSnapshot, SnapshotIamReader } from '../../adapters/snapshot/iam-snapshot.js';
import type { IamReader } from '../../ports.js';

/** The IAM reader for a command. */
export async function iamReaderFor(
  snapshotPath: string | undefined,
  env: Readonly<Record<string, string | undefined>>
): Promise<IamReader> {
  if (snapshotPath !== undefined) return new SnapshotIamReader(await loadSnapshot(snapshotPath));
  const [{ createCliIamReader }, { requireIamCredentials }] = await Promise.all([
    import('../../adapters/iam/cli-iam-reader.js'),
    import('../../adapters/aws-credentials.js'),
  ]);
  await requireIamCredentials(env, 'reading IAM live (no --iam-snapshot given)');
  return createCliIamReader(env);
}
