/**
 * `oidcwatch doctor [--audience AUD] [--trust-policy FILE | --role-arn ARN] [--verify] [--json]`:
 * a step inside a GitHub Actions job that gets the job's OIDC token, prints its claims (never the
 * token), the `sub` AWS will see and the condition keys it presents, and judges a trust policy with
 * them. Exit 0 whatever the verdict; 1 when it cannot do its job here (not in Actions, no
 * `id-token: write`, unusable arguments or policy); 2 when the token endpoint, the issuer's keys or
 * IAM cannot be reached.
 */
import { readFile } from 'node:fs/promises';
import { fetchActionsToken } from '../../adapters/github/actions-token-client.js';
import { verifyWithIssuerKeys } from '../../adapters/github/issuer-jwks-verifier.js';
import { OidcwatchError } from '../../domain/errors.js';
import { type DoctorOptions, type DoctorResult, runDoctor } from '../../usecases/run-doctor.js';
import { parseCommandArgs } from '../common/args.js';
import { errorLine, exitCodeOf } from '../common/exit-code.js';
import { styleFor } from '../common/style.js';
import { redactSecrets } from '../doctor/redact.js';
import { renderDoctorText } from '../doctor/render-text.js';
import type { CliIo, Command } from '../io.js';
import { EXIT } from '../io.js';

const HELP = `usage: oidcwatch doctor [--audience AUD] [--trust-policy FILE | --role-arn ARN] [--verify] [--json]
                       [--fail-on-deny]

Run as a step of a GitHub Actions job (the job needs "permissions: id-token: write"). Gets the
job's OIDC token, prints its claims (never the token), the sub AWS will see and the condition keys
it presents; with a trust policy, evaluates it with every claim and prints the verdict and the fix.
In a workflow, use this repository as an Action pinned to a full commit SHA of your copy:
"uses: <owner>/oidcwatch@<full commit SHA>" with "trust-policy:" or "role-arn:" (docs/doctor.md);
never "npx oidcwatch", a name that is not ours on the npm registry.

options:
  --audience AUD       the audience to request (default sts.amazonaws.com, as configure-aws-credentials)
  --trust-policy FILE  evaluate this trust policy (JSON, or the URL-encoded text iam:GetRole returns)
  --role-arn ARN       read the role's trust policy from IAM, and check the account's OIDC provider
                       for the token's issuer and audience (needs iam:GetRole, iam:ListOpenIDConnectProviders,
                       iam:GetOpenIDConnectProvider)
  --verify             verify the signature against the issuer's keys (<iss>/.well-known/jwks) and expiry
  --json               print the report as JSON
  --fail-on-deny       exit 3 when the trust policy would not admit this job's token

exit codes: 0 done, whatever the verdict; 1 cannot run here (not in Actions, no id-token: write,
unusable arguments or policy); 2 the token endpoint, the issuer's keys or IAM unreachable;
3 --fail-on-deny and the role would not be assumed.
`;

/** Writes text with every secret redacted. */
function writer(io: CliIo, secrets: readonly string[]) {
  return {
    out: (text: string) => io.stdout.write(redactSecrets(text, secrets)),
    err: (text: string) => io.stderr.write(redactSecrets(text, secrets)),
  };
}

/**
 * Runs doctor's use case with the real token endpoint, issuer keys, files and IAM. Every token
 * fetched is added to `secrets`, for redaction of anything printed afterwards.
 */
export function diagnoseJob(
  options: DoctorOptions,
  io: Pick<CliIo, 'env' | 'now'>,
  secrets: string[]
): Promise<DoctorResult> {
  return runDoctor(options, {
    env: io.env,
    now: io.now,
    fetchToken: async (request) => {
      const token = await fetchActionsToken(request);
      secrets.push(token);
      return token;
    },
    verifyToken: verifyWithIssuerKeys,
    readFile: (path) => readFile(path, 'utf8'),
    iamReader: async () => {
      const { createCliIamReader } = await import('../../adapters/iam/cli-iam-reader.js');
      return createCliIamReader(io.env);
    },
  });
}

/** Runs `oidcwatch doctor`. */
export const run: Command = async (argv, io) => {
  const secrets: string[] = [];
  const requestToken = io.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (requestToken !== undefined) secrets.push(requestToken);
  const w = writer(io, secrets);
  let json = false;
  try {
    const { values } = parseCommandArgs('doctor', argv, {
      audience: { type: 'string', default: 'sts.amazonaws.com' },
      'trust-policy': { type: 'string' },
      'role-arn': { type: 'string' },
      verify: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'fail-on-deny': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    });
    json = values.json;
    if (values.help) {
      w.out(HELP);
      return EXIT.OK;
    }
    if (values['trust-policy'] !== undefined && values['role-arn'] !== undefined)
      throw new OidcwatchError('ERR_USAGE', 'doctor: give --trust-policy or --role-arn, not both');
    if (values.audience === '')
      throw new OidcwatchError('ERR_USAGE', 'doctor: --audience must not be empty');
    const result = await diagnoseJob(
      {
        audience: values.audience,
        trustPolicyFile: values['trust-policy'] ?? null,
        roleArn: values['role-arn'] ?? null,
        verify: values.verify,
      },
      io,
      secrets
    );
    if (result.kind === 'not-ready') {
      if (json)
        w.out(
          `${JSON.stringify({ problem: result.problem, message: result.message, fix: result.fix })}\n`
        );
      w.err(`oidcwatch doctor: ${result.message}\n\n${result.fix}\n`);
      return EXIT.USAGE;
    }
    if (json) w.out(`${JSON.stringify(result.report)}\n`);
    else w.out(renderDoctorText(result.report, styleFor(io.stdout, io.env)));
    for (const problem of result.unreachable) w.err(`oidcwatch doctor: ${problem}\n`);
    if (result.unreachable.length > 0) return EXIT.AWS;
    return values['fail-on-deny'] && result.report.policy?.allowed === false ? EXIT.GATE : EXIT.OK;
  } catch (e) {
    const message =
      e instanceof OidcwatchError
        ? e.message
        : `unexpected error: ${(e as Error)?.stack ?? String(e)}`;
    if (json && e instanceof OidcwatchError)
      w.out(`${JSON.stringify({ error: e.code, message })}\n`);
    w.err(errorLine('doctor', message));
    return exitCodeOf(e);
  }
};
