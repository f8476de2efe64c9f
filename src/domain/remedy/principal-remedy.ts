/**
 * Remedies of `WRONG_PROVIDER_PRINCIPAL` for a web-identity call: a statement copied from another
 * account gets this account's provider (same issuer, so its condition keys stay); an organization
 * that moved to another issuer (GHE.com, an enterprise issuer, a new EKS cluster) gets a new
 * statement for the new provider with every condition key renamed to the new issuer (the old
 * statement stays for jobs still on the old issuer); a role meant to be reached by role chaining
 * is never given a `Federated` principal.
 */
import { allowsWebIdentity, providerArnsOf } from '../audit/statements.js';
import { arnAccount } from '../policy/trust-request.js';
import { identifyIssuer, issuerUrlOf } from '../subject/identify-issuer.js';
import type { IssuerKind, OidcCall } from '../types.js';
import { admitted, policyOf } from './call-admitted.js';
import {
  appendStatement,
  elementKey,
  freeSid,
  renameConditionKeys,
  replaceFederated,
  statementCopy,
} from './document-patch.js';
import { roleSetting } from './issuer-advice.js';
import { makeRemedy, setInWorkflow } from './make-remedy.js';
import { type PatchPlan, patchRemedy } from './patch-remedy.js';
import type { Remedy, RemedyEdit } from './remedy-types.js';
import type { PatchEnv } from './verify-patch.js';

const SUFFIX: Readonly<Partial<Record<IssuerKind, string>>> = {
  github: 'Enterprise',
  gitlab: 'GitLab',
  eks: 'EksCluster',
  'terraform-cloud': 'Terraform',
};

/** The provider ARN of the call in the role's account (CloudTrail may record a bare issuer host). */
function callProviderArn(env: PatchEnv): string | null {
  const provider = env.call.provider;
  if (provider === null) return null;
  if (provider.startsWith('arn:')) return provider;
  const account = arnAccount(env.roleArn) ?? env.call.account;
  if (account === null) return null;
  const partition = env.roleArn.split(':')[1] || 'aws';
  return `arn:${partition}:iam::${account}:oidc-provider/${issuerUrlOf(provider)}`;
}

function label(index: number, sid: string | null): string {
  return sid !== null && sid !== '' ? `"${sid}"` : `#${index}`;
}

/** A role whose Allow statements trust only AWS principals for `sts:AssumeRole`: a chaining target. */
function chainSources(env: PatchEnv): string[] {
  const out: string[] = [];
  for (const st of env.policy.statements) {
    if (st.effect !== 'Allow' || st.principal === null || st.principal === '*') continue;
    if (st.principal.federated.length > 0) return [];
    out.push(...st.principal.aws);
  }
  return [...new Set(out)];
}

function chainingRemedy(env: PatchEnv, sources: readonly string[]): Remedy {
  const roleSource = sources.find((s) => /^arn:[\w-]+:iam::\d{12}:role\//.test(s));
  const setting = roleSetting(env.call.issuer?.kind ?? null);
  if (roleSource === undefined)
    return makeRemedy(
      'intentional',
      `${env.roleArn} trusts only ${sources.join(', ')} (sts:AssumeRole), not web identity: it is reached through AWS principals, so point ${setting.where} at a role that trusts this provider. A Federated principal would open it to every job of the issuer.`
    );
  const source = (env.relatedRoles ?? []).find((r) => r.arn === roleSource);
  const check = admitted(
    source === undefined ? null : policyOf(source),
    { ...env.call, roleArn: roleSource },
    `as ${roleSource}`,
    roleSource
  );
  const github = env.call.issuer?.kind === 'github';
  return makeRemedy(
    'role',
    `${env.roleArn} is meant to be reached by role chaining from ${roleSource}: assume ${roleSource} with the job's token${check.admitsCall && source !== undefined ? ' (its trust policy admits this job)' : ''}, then chain into ${env.roleArn}${github ? ' (a second configure-aws-credentials step with `role-chaining: true`)' : ''}. Adding a Federated principal would open it to every job of the issuer.`,
    {
      useRoleArn: roleSource,
      workflow: [
        setInWorkflow(setting.key, roleSource),
        ...(github ? [setInWorkflow('with.role-chaining', 'true')] : []),
      ],
      verification: check,
    }
  );
}

/**
 * The remedy of a web-identity call whose provider no Allow statement names.
 *
 * @example
 * ```ts
 * wrongPrincipalRemedy(env).edits;
 * // [{ element: 'Principal.Federated', added: ['arn:aws:iam::111122223333:oidc-provider/…'], removed: ['arn:aws:iam::999988887777:…'] }]
 * ```
 */
export function wrongPrincipalRemedy(env: PatchEnv): Remedy {
  const provider = callProviderArn(env);
  const sources = chainSources(env);
  if (sources.length > 0) return chainingRemedy(env, sources);
  const advice = makeRemedy(
    'none',
    `Name ${provider ?? "the call's provider"} as Principal.Federated in the Allow statement for sts:AssumeRoleWithWebIdentity, with condition keys under "${env.call.issuer?.url ?? 'its issuer'}:".`
  );
  if (provider === null) return advice;
  const newUrl = issuerUrlOf(provider);
  const plans: { plan: PatchPlan; baseline: OidcCall }[] = [];
  /** The call as the statement was written for: through `named`, whose owners it already admits. */
  const baseline = (named: string): OidcCall => ({
    ...env.call,
    provider: named,
    issuer: identifyIssuer(named),
  });
  for (const st of env.policy.statements) {
    if (st.effect !== 'Allow' || !allowsWebIdentity(st)) continue;
    const where = label(st.index, st.sid);
    for (const named of providerArnsOf(st)) {
      const oldUrl = issuerUrlOf(named);
      if (oldUrl.toLowerCase() === newUrl.toLowerCase()) {
        plans.push({
          baseline: baseline(named),
          plan: {
            summary: `Set Principal.Federated of statement ${where} to "${provider}" (it names "${named}", a provider of account ${arnAccount(named) ?? '?'}: a policy copied between accounts; a provider and the role that trusts it must be in the same account).`,
            apply: (doc) => [replaceFederated(doc, st.index, named, provider)],
            fallback: () => advice,
          },
        });
        continue;
      }
      plans.push({
        baseline: baseline(named),
        plan: {
          summary: `The job's token now comes from "${newUrl}", not "${oldUrl}": add a statement like ${where} for "${provider}" with its condition keys renamed to "${newUrl}:…" (STS fills only the keys of the token's own issuer). Statement ${where} stays for jobs still on the old issuer.`,
          apply: (doc) => {
            const copy = statementCopy(doc, st.index);
            if (copy === null) return [];
            const principalKey = elementKey(copy, 'Principal');
            copy[principalKey] = { Federated: provider };
            const sidKey = elementKey(copy, 'Sid');
            const base = typeof copy[sidKey] === 'string' ? String(copy[sidKey]) : 'WebIdentity';
            const sid = freeSid(
              doc,
              `${base}${SUFFIX[env.call.issuer?.kind ?? 'other'] ?? 'NewIssuer'}`
            );
            const statement = { [sidKey]: sid, ...copy, [sidKey]: sid };
            const added = appendStatement(doc, statement, [
              `copy of statement ${where} for ${provider}, condition keys under ${newUrl}`,
            ]);
            const index = (() => {
              const key =
                Object.keys(doc).find((k) => k.toLowerCase() === 'statement') ?? 'Statement';
              return (doc[key] as unknown[]).length - 1;
            })();
            const renamed: (RemedyEdit | null)[] = renameConditionKeys(doc, index, oldUrl, newUrl);
            return [added, ...renamed];
          },
          fallback: () => advice,
          additive: true,
        },
      });
    }
  }
  let first: Remedy | null = null;
  for (const { plan, baseline: ownerBaseline } of plans) {
    const remedy = patchRemedy({ ...env, ownerBaseline }, plan);
    if (remedy.kind === 'trust-policy') return remedy;
    first ??= remedy;
  }
  return first ?? advice;
}
