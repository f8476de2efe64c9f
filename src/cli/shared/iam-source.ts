/**
 * Chooses where IAM answers come from: the snapshot file (`--iam-snapshot`), or live IAM with the
 * default credential chain (honouring `AWS_ENDPOINT_URL`).
 */
import { loadSnapshot, SnapshotIamReader } from '../../adapters/snapshot/iam-snapshot.js';
import type { IamReader } from '../../ports.js';

/** The IAM reader for a command. */
export async function iamReaderFor(
  snapshotPath: string | undefined,
  env: Readonly<Record<string, string | undefined>>
): Promise<IamReader> {
  if (snapshotPath !== undefined) return new SnapshotIamReader(await loadSnapshot(snapshotPath));
  const { createCliIamReader } = await import('../../adapters/iam/cli-iam-reader.js');
  return createCliIamReader(env);
}
