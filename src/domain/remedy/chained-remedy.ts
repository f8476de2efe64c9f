/**
 * Remedies of a denied chained `AssumeRole` made by a web-identity session (the job assumed one
 * role with its token, then chains into another): allow `sts:TagSession` beside `sts:AssumeRole`
 * for that session's role, or trust that one role. The patch names exactly the session's role,
 * never a `Federated` principal.
 */
import { awsPrincipalRequest } from '../policy/aws-principal-request.js';
import { evaluateTrustPolicy } from '../policy/evaluate-trust-policy.js';
import { readPolicyDocument, type TrustPolicy } from '../policy/parse-policy.js';
import type { OidcCall, OidcProviderInfo } from '../types.js';
import { addAction, appendStatement, freeSid } from './document-patch.js';
import { makeRemedy, setInWorkflow } from './make-remedy.js';
import { patchRemedy, roleName } from './patch-remedy.js';
import type { Remedy } from './remedy-types.js';
import type { PatchEnv } from './verify-patch.js';

/** The target role as the chained rule knows it. */
export interface ChainedEnv {
  readonly call: OidcCall;
  readonly roleArn: string;
  /** The trust policy as IAM holds it. */
  readonly document: unknown;
  readonly policy: TrustPolicy;
  readonly knownOwners: readonly string[];
  readonly providers: readonly OidcProviderInfo[] | null;
}

/**
 * What a chained patch is verified against: it must let `principal` perform `action`, and its
 * blast radius is computed over AWS principals for every action of `chain` (the tagged chain
 * needs `sts:AssumeRole` and `sts:TagSession` both).
 */
function patchEnv(
  env: ChainedEnv,
  action: string,
  principal: string,
  chain: readonly string[]
): PatchEnv {
  return {
    call: env.call,
    roleArn: env.roleArn,
    document: readPolicyDocument(env.document),
    policy: env.policy,
    knownOwners: env.knownOwners,
    providers: env.providers,
    request: awsPrincipalRequest(action, principal),
    probe: false,
    chain: { principal, actions: chain },
  };
}

function skipTagging(env: ChainedEnv | null): Remedy {
  return makeRemedy(
    'workflow',
    env?.call.issuer?.kind === 'github' || env === null
      ? 'Set `role-skip-session-tagging: true` on the configure-aws-credentials step that chains into the role (it then sends no session tags).'
      : 'Chain into the role without session tags.',
    { workflow: [setInWorkflow('with.role-skip-session-tagging', 'true')] }
  );
}

/**
 * Allow `sts:TagSession` in the statement that already lets the session's role assume the target.
 *
 * @example
 * ```ts
 * tagSessionRemedy(env, 'arn:aws:iam::111122223333:role/gha-base', session, target).edits;
 * // [{ statement: '"ChainFromGitHub"', element: 'Action', added: ['sts:TagSession'], … }]
 * ```
 */
export function tagSessionRemedy(
  env: ChainedEnv | null,
  sessionRoleArn: string | null,
  session: string,
  target: string
): Remedy {
  if (env === null || sessionRoleArn === null) return skipTagging(env);
  const trace = evaluateTrustPolicy(
    env.policy,
    awsPrincipalRequest('sts:AssumeRole', sessionRoleArn)
  );
  const st = trace.statements.find(
    (s) => s.effect === 'Allow' && s.principalMatches && s.actionMatches
  );
  if (st === undefined) return skipTagging(env);
  const label = st.sid !== null && st.sid !== '' ? `"${st.sid}"` : `#${st.index}`;
  const chain = ['sts:AssumeRole', 'sts:TagSession'];
  return patchRemedy(patchEnv(env, 'sts:TagSession', sessionRoleArn, chain), {
    summary: `Add "sts:TagSession" to the Action of statement ${label} of ${target}'s trust policy (it already lets ${session} assume the role; configure-aws-credentials sends session tags), or set \`role-skip-session-tagging: true\` on the step that chains.`,
    apply: (doc) => [addAction(doc, st.index, 'sts:TagSession')],
    fallback: () => skipTagging(env),
  });
}

/** Trust the session's role (and only it) for the chained `AssumeRole`. */
export function chainedAccessRemedy(
  env: ChainedEnv | null,
  sessionRoleArn: string | null,
  session: string,
  target: string,
  tagged: boolean
): Remedy {
  const advice = makeRemedy(
    'none',
    `Let ${session} assume ${target}: add a statement to ${target}'s trust policy allowing "sts:AssumeRole"${tagged ? ' and "sts:TagSession"' : ''} for that role, if the chain is intended.`
  );
  if (env === null || sessionRoleArn === null) return advice;
  const actions = tagged ? ['sts:AssumeRole', 'sts:TagSession'] : ['sts:AssumeRole'];
  return patchRemedy(patchEnv(env, 'sts:AssumeRole', sessionRoleArn, actions), {
    summary: `If ${roleName(sessionRoleArn)} is meant to chain into ${roleName(target)}, add a statement to ${target}'s trust policy allowing ${actions.map((a) => `"${a}"`).join(' and ')} for ${sessionRoleArn} (that role only; no Federated principal).`,
    apply: (doc) => [
      appendStatement(
        doc,
        {
          Sid: freeSid(doc, `ChainFrom${roleName(sessionRoleArn)}`),
          Effect: 'Allow',
          Principal: { AWS: sessionRoleArn },
          Action: actions.length === 1 ? actions[0] : actions,
        },
        [`Allow ${actions.join(', ')} for ${sessionRoleArn}`]
      ),
    ],
    fallback: () => advice,
  });
}
