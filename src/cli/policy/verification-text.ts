/**
 * What the checks of a generated trust policy found, in words: one line per job admitted and per
 * probe denied, the audit's verdict and the size. Printed on stderr beside the JSON policy, and as
 * comments at the top of the Terraform and CloudFormation outputs.
 */
import type { ProbeResult } from '../../domain/generate/verify-trust-policy.js';
import {
  type PolicyVerification,
  TRUST_POLICY_LENGTH,
} from '../../domain/generate/verify-trust-policy.js';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The value that tells a probe apart. */
function shown(result: ProbeResult): string {
  const { probe } = result;
  if (probe.shows === 'provider') return `provider ${probe.providerArn}`;
  if (probe.shows === 'sub') return probe.claims.sub ?? '';
  return `${probe.shows} ${probe.claims[probe.shows] ?? ''}`;
}

/**
 * The verification as lines (without a trailing newline).
 *
 * @example
 * ```ts
 * verificationLines(generated.verification);
 * // ['Checked by oidcwatch before printing: …', '  admits  repo:acme-corp/api:environment:production', …]
 * ```
 */
export function verificationLines(verification: PolicyVerification): string[] {
  const admitted = verification.results.filter((r) => r.probe.expect === 'allow');
  const denied = verification.results.filter((r) => r.probe.expect === 'deny');
  const width = Math.max(0, ...denied.map((r) => r.probe.label.length));
  const size = `${verification.length.toLocaleString('en-US')} of ${TRUST_POLICY_LENGTH.default.toLocaleString('en-US')} characters`;
  return [
    `Checked by oidcwatch before printing: the trust-policy evaluator admits ${admitted.length === 1 ? 'the job' : `the ${admitted.length} jobs`} asked for and denies ${plural(denied.length, 'probe')}; oidcwatch audit finds ${verification.findings.length === 0 ? 'nothing' : plural(verification.findings.length, 'finding')}.`,
    ...admitted.map((r) =>
      r.probe.asked === null || r.probe.asked === r.probe.claims.sub
        ? `  admits  ${shown(r)}`
        : `  admits  ${r.probe.asked}  (tried as ${shown(r)})`
    ),
    ...denied.map((r) => `  denies  ${r.probe.label.padEnd(width)}  ${shown(r)}`),
    verification.needsQuotaIncrease
      ? `  size    ${verification.length.toLocaleString('en-US')} characters: more than IAM's default ${TRUST_POLICY_LENGTH.default.toLocaleString('en-US')}; raise the "Role trust policy length" quota (up to ${TRUST_POLICY_LENGTH.max.toLocaleString('en-US')}) or split the role`
      : `  size    ${size} (IAM's default trust-policy quota)`,
  ];
}
