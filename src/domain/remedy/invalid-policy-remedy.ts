/**
 * The remedy of a trust policy IAM would reject or that cannot be read: a mis-cased `Effect`
 * (`"allow"`) is corrected and the corrected document verified like any patch (it must admit the
 * call, have no audit finding at all, since IAM never held the original, and newly admit nothing
 * beyond the job's repository, or an owner the corrected document admits); anything else is
 * named, not guessed.
 */
import { readPolicyDocument, type TrustPolicy } from '../policy/parse-policy.js';
import type { OidcCall, OidcProviderInfo } from '../types.js';
import { setEffect } from './document-patch.js';
import { makeRemedy } from './make-remedy.js';
import { patchRemedy, roleName } from './patch-remedy.js';
import type { Remedy, RemedyEdit } from './remedy-types.js';

/** What the remedy of an invalid policy is verified against. */
export interface InvalidPolicyEnv {
  readonly call: OidcCall;
  readonly roleArn: string;
  readonly knownOwners: readonly string[];
  readonly providers: readonly OidcProviderInfo[] | null;
}

const NOTHING: TrustPolicy = { version: '2012-10-17', variables: true, statements: [] };

function statementsOf(doc: Record<string, unknown>): unknown[] {
  const key = Object.keys(doc).find((k) => k.toLowerCase() === 'statement');
  const raw = key === undefined ? undefined : doc[key];
  return Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
}

function effectOf(st: unknown): unknown {
  if (typeof st !== 'object' || st === null) return undefined;
  const key = Object.keys(st).find((k) => k.toLowerCase() === 'effect');
  return key === undefined ? undefined : (st as Record<string, unknown>)[key];
}

/**
 * The remedy of a trust policy that is not valid (`reason` from `readTrustPolicy`).
 *
 * @example
 * ```ts
 * invalidPolicyRemedy(env, { Version: '2012-10-17', Statement: [{ Effect: 'allow', … }] }, reason).kind;
 * // 'trust-policy': the same document with "Allow"
 * ```
 */
export function invalidPolicyRemedy(
  env: InvalidPolicyEnv,
  trustPolicy: unknown,
  reason: string
): Remedy {
  const inspect = makeRemedy(
    'none',
    `Correct the trust policy of ${env.roleArn} (${reason}); inspect it with: aws iam get-role --role-name ${roleName(env.roleArn)} --query Role.AssumeRolePolicyDocument`
  );
  const doc = readPolicyDocument(trustPolicy);
  if (doc === null) return inspect;
  const miscased = statementsOf(doc)
    .map((st, index) => ({ index, effect: effectOf(st) }))
    .filter(
      (e) =>
        typeof e.effect === 'string' &&
        e.effect !== 'Allow' &&
        e.effect !== 'Deny' &&
        ['allow', 'deny'].includes(e.effect.toLowerCase())
    );
  if (miscased.length === 0) return inspect;
  return patchRemedy(
    {
      call: env.call,
      roleArn: env.roleArn,
      document: doc,
      policy: NOTHING,
      knownOwners: env.knownOwners,
      providers: env.providers,
      // Everything the corrected document admits is new (IAM never held the original); whether
      // it already admits the job's owner is judged on the corrected document, as its author wrote it.
      ownerAdmittedOnPatch: true,
    },
    {
      summary: `Write the Effect as IAM spells it (${miscased.map((e) => `"${String(e.effect)}" → "${String(e.effect).toLowerCase() === 'allow' ? 'Allow' : 'Deny'}"`).join(', ')}): IAM accepts only "Allow" or "Deny" and rejects this document as written.`,
      apply: (copy) =>
        miscased.map((e): RemedyEdit | null =>
          setEffect(copy, e.index, String(e.effect).toLowerCase() === 'allow' ? 'Allow' : 'Deny')
        ),
      fallback: () => inspect,
    }
  );
}
