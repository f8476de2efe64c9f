/**
 * Where a finding lives, as a file a code-scanning tool can show: the IAM snapshot the audit read
 * (with the line of the role or provider in it), or, for a live audit, a stable path naming the
 * account and resource. GitHub code scanning needs a relative path in every result's location.
 */
import { relative, sep } from 'node:path';
import type { AuditFinding } from '../../domain/audit/audit-types.js';

/** A file and, when known, the line of the resource in it. */
export interface FindingArtifact {
  /** A relative path with `/` separators. */
  readonly uri: string;
  readonly startLine: number | null;
}

/** Gives each finding its artifact. */
export type FindingLocator = (f: AuditFinding) => FindingArtifact;

function resourceArn(f: AuditFinding): string | null {
  return f.roleArn ?? f.providerArn;
}

/**
 * Findings located in the snapshot file they were read from: its path relative to `cwd`, and the
 * first line naming the role's (or provider's) ARN as a JSON string.
 *
 * @example
 * ```ts
 * const locate = snapshotLocator('iam/snapshot.json', await readFile('iam/snapshot.json', 'utf8'), process.cwd());
 * locate(finding); // { uri: 'iam/snapshot.json', startLine: 42 }
 * ```
 */
export function snapshotLocator(path: string, text: string, cwd: string): FindingLocator {
  const rel = relative(cwd, path).split(sep).join('/');
  const uri = rel === '' || rel.startsWith('../') ? path.split(sep).join('/') : rel;
  const lines = new Map<string, number | null>();
  const lineOf = (arn: string): number | null => {
    if (lines.has(arn)) return lines.get(arn) ?? null;
    const at = text.indexOf(JSON.stringify(arn));
    const line = at < 0 ? null : text.slice(0, at).split('\n').length;
    lines.set(arn, line);
    return line;
  };
  return (f) => {
    const arn = resourceArn(f);
    return { uri, startLine: arn === null ? null : lineOf(arn) };
  };
}

/**
 * Findings of a live audit, located at `aws-iam/ACCOUNT/role/NAME` or
 * `aws-iam/ACCOUNT/oidc-provider/URL`: stable across runs, so code scanning matches an alert of
 * one run to the next.
 */
export const liveLocator: FindingLocator = (f) => {
  const arn = resourceArn(f) ?? '';
  const resource = arn.split(':').slice(5).join(':');
  return { uri: `aws-iam/${f.account}/${resource === '' ? 'account' : resource}`, startLine: null };
};
