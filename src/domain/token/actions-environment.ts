/**
 * Whether this process runs as a step of a GitHub Actions job that may request an OIDC token.
 * GitHub sets `ACTIONS_ID_TOKEN_REQUEST_URL` and `ACTIONS_ID_TOKEN_REQUEST_TOKEN` only for jobs
 * granted `permissions: id-token: write`; without them no token can be had, and
 * configure-aws-credentials fails before any call reaches AWS (so CloudTrail shows nothing).
 */

/** Why doctor cannot get a token here. */
export type ActionsProblemCode = 'NOT_IN_GITHUB_ACTIONS' | 'MISSING_ID_TOKEN_PERMISSION';

/** The outcome of reading the environment. The request token is a secret: never print it. */
export type ActionsEnvironment =
  | { readonly ok: true; readonly requestUrl: string; readonly requestToken: string }
  | {
      readonly ok: false;
      readonly problem: ActionsProblemCode;
      readonly message: string;
      readonly fix: string;
    };

/** The permissions block to add to the job. */
export const ID_TOKEN_PERMISSIONS_YAML = `permissions:
  id-token: write   # lets the job request an OIDC token
  contents: read    # what actions/checkout needs`;

function indent(text: string, by = '    '): string {
  return text
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

/**
 * Reads the Actions environment.
 *
 * @param env - the process environment
 *
 * @example
 * ```ts
 * const found = readActionsEnvironment(env);
 * if (!found.ok) warn(found.message, found.fix);
 * ```
 */
export function readActionsEnvironment(
  env: Readonly<Record<string, string | undefined>>
): ActionsEnvironment {
  if (env.GITHUB_ACTIONS !== 'true')
    return {
      ok: false,
      problem: 'NOT_IN_GITHUB_ACTIONS',
      message:
        'not running in GitHub Actions (GITHUB_ACTIONS is not "true"): doctor asks the job for its OIDC token, so it must run as a step of the failing job.',
      fix: `Add a step to the failing job, after actions/checkout: this repository as a GitHub Action, pinned to a full commit SHA of your copy of it:\n\n${indent('- uses: <owner>/oidcwatch@<full commit SHA>\n  with:\n    trust-policy: .github/aws/trust-policy.json')}\n\nOutside a job, \`oidcwatch simulate\` evaluates a trust policy for a given aud and sub.`,
    };
  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (
    requestUrl !== undefined &&
    requestUrl !== '' &&
    requestToken !== undefined &&
    requestToken !== ''
  )
    return { ok: true, requestUrl, requestToken };
  const missing = [
    requestUrl ? null : 'ACTIONS_ID_TOKEN_REQUEST_URL',
    requestToken ? null : 'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  ].filter((v): v is string => v !== null);
  const fork =
    env.GITHUB_EVENT_NAME === 'pull_request'
      ? '\nThis run is for a pull_request: if it comes from a fork, GitHub grants it no id-token: write, whatever the workflow says.'
      : '';
  return {
    ok: false,
    problem: 'MISSING_ID_TOKEN_PERMISSION',
    message: `this job cannot request an OIDC token: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set. GitHub sets them only for jobs granted the id-token: write permission, so configure-aws-credentials fails here before any call reaches AWS.`,
    fix:
      `Add to the job (or the workflow):\n\n${indent(ID_TOKEN_PERMISSIONS_YAML)}\n\n` +
      'A permissions block replaces the defaults: list every permission the job needs. In a reusable workflow, the calling job must grant id-token: write too.' +
      fork,
  };
}
