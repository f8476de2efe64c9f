/** `ROLE_NOT_FOUND`: IAM says the role does not exist. */
import { admitted, policyOf } from '../../remedy/call-admitted.js';
import { roleSetting } from '../../remedy/issuer-advice.js';
import { makeRemedy, setInWorkflow } from '../../remedy/make-remedy.js';
import type { RoleInfo } from '../../types.js';
import type { Rule } from '../rule.js';

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1)
      );
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

const nameOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** Nearest role names per account index: every denial of a missing role asks the same question. */
const hints = new WeakMap<readonly RoleInfo[], Map<string, string | null>>();

/** The ARN of the role whose name is nearest `wanted`, when one is near enough. */
function similarRole(roles: readonly RoleInfo[], wanted: string): string | null {
  let memo = hints.get(roles);
  if (memo === undefined) {
    memo = new Map();
    hints.set(roles, memo);
  }
  const hit = memo.get(wanted);
  if (hit !== undefined) return hit;
  const best =
    roles
      .map((r) => ({
        arn: r.arn,
        d: editDistance(nameOf(r.arn).toLowerCase(), wanted.toLowerCase()),
      }))
      .filter((r) => r.d <= Math.max(3, Math.floor(wanted.length / 3)))
      .sort((a, b) => a.d - b.d || a.arn.localeCompare(b.arn))[0]?.arn ?? null;
  memo.set(wanted, best);
  return best;
}

/** Applies to `AccessDenied` when the named role does not exist. */
export const roleNotFound: Rule = ({ call, iam }) => {
  if (
    call.errorCode !== 'AccessDenied' ||
    iam.status !== 'ok' ||
    iam.role !== null ||
    call.roleArn === null
  )
    return null;
  const wanted = nameOf(call.roleArn);
  const hint = similarRole(iam.rolesTrustingProvider ?? [], wanted);
  const setting = roleSetting(call.issuer?.kind ?? null);
  const hinted = (iam.rolesTrustingProvider ?? []).find((r) => r.arn === hint);
  const check =
    hint === null
      ? null
      : admitted(policyOf(hinted), { ...call, roleArn: hint }, `as ${hint}`, hint);
  const remedy =
    hint !== null && check?.admitsCall === true
      ? makeRemedy(
          'role',
          `Set ${setting.where} to ${hint} if that is the intended role (its trust policy admits this job); otherwise create ${wanted}.`,
          { useRoleArn: hint, workflow: [setInWorkflow(setting.key, hint)], verification: check }
        )
      : makeRemedy(
          'workflow',
          `Correct ${setting.where}${hint === null ? '' : ` (${hint} has a similar name but its trust policy does not admit this job)`}, or create role ${wanted} with a trust policy for this provider.`
        );
  return {
    cause: 'ROLE_NOT_FOUND',
    detail: null,
    explanation: `Role ${call.roleArn} does not exist in account ${call.account ?? '?'} (STS answers AccessDenied for a missing role, as for a rejected one).${hint ? ` A role with a similar name trusts this provider: ${hint}.` : ''}`,
    fix: remedy.summary,
    remedy,
  };
};
