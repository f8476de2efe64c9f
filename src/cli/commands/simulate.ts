/**
 * `oidcwatch simulate --trust-policy FILE --provider ARN --aud AUD --sub SUB [--claim KEY=VALUE…]
 * [--fix FILE] [--json]`: would STS admit these claims? Prints `allowed` and the per-condition
 * trace, and for a denial the cause and the remedy oidcwatch would give (the diff, what
 * verification found); `--fix FILE` writes the patched trust policy when one is offered.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { judgeTrustPolicy } from '../../domain/classify/trust/judge-trust-policy.js';
import { OidcwatchError } from '../../domain/errors.js';
import { evaluateTrustPolicy } from '../../domain/policy/evaluate-trust-policy.js';
import { GITHUB_CONDITION_CLAIMS } from '../../domain/policy/github-condition-claims.js';
import { type PolicyReadResult, readTrustPolicy } from '../../domain/policy/parse-policy.js';
import { webIdentityRequest } from '../../domain/policy/web-identity-request.js';
import { remedyDiff, verificationText } from '../../domain/remedy/remedy-text.js';
import { identifyIssuer, providerAccountId } from '../../domain/subject/identify-issuer.js';
import { parseSubject } from '../../domain/subject/parse-subject.js';
import type { OidcCall } from '../../domain/types.js';
import { parseCommandArgs, required } from '../common/args.js';
import { reportError } from '../common/exit-code.js';
import { styleFor } from '../common/style.js';
import { traceText } from '../common/trace-text.js';
import type { Command } from '../io.js';
import { EXIT } from '../io.js';

const HELP = `usage: oidcwatch simulate --trust-policy FILE --provider ARN --aud AUD --sub SUB
                         [--claim KEY=VALUE …] [--role-arn ARN] [--fix FILE] [--json]

Evaluates a trust policy for the claims of an AssumeRoleWithWebIdentity call, as IAM would, and
prints the verdict with every condition; for a denial, the cause and the remedy (verified with the
same evaluator before it is shown).

options:
  --trust-policy FILE  the trust policy: JSON, the URL-encoded text iam:GetRole returns, or the
                       whole output of \`aws iam get-role\` (its role ARN is then used too)
  --provider ARN       the IAM OIDC provider ARN (Principal.Federated), e.g.
                       arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com
  --aud AUD            the token's aud
  --sub SUB            the token's sub
  --claim KEY=VALUE    another claim STS can check (repeatable): for GitHub ${GITHUB_CONDITION_CLAIMS.filter((c) => c !== 'aud' && c !== 'sub').join(', ')}
  --role-arn ARN       the role (default: the get-role output's, else arn:aws:iam::<provider account>:role/simulated)
  --fix FILE           write the patched trust policy to FILE when a trust-policy change is offered
  --json               print the result as JSON
`;

const PROVIDER_ARN = /^arn:aws[\w-]*:iam::\d{12}:oidc-provider\/[^\s/][^\s]*$/;

/**
 * The command that applies a patched policy, as one can paste it: the file `--fix` wrote, and a
 * placeholder where no role was named (`--role-arn`, get-role output) rather than `simulated`.
 */
function applyCommand(command: string, roleKnown: boolean, wrote: string | null): string {
  let out = roleKnown ? command : command.replace('--role-name simulated', '--role-name ROLE_NAME');
  if (wrote !== null) out = out.replace('file://trust-policy.json', `file://${wrote}`);
  return out;
}

/**
 * A call made of the given claims, as if CloudTrail had recorded it denied. `claims` (from
 * `--claim`) are added to what the sub proves, so the evaluator treats them as known.
 */
export function simulatedCall(
  provider: string,
  aud: string,
  sub: string,
  roleArn: string | null,
  claims: Readonly<Record<string, string>> = {}
): OidcCall {
  const issuer = identifyIssuer(provider);
  const subject = parseSubject(sub, issuer.kind);
  return {
    eventId: null,
    eventTime: null,
    eventName: 'AssumeRoleWithWebIdentity',
    account: providerAccountId(provider),
    region: null,
    errorCode: 'AccessDenied',
    errorMessage: null,
    provider,
    issuer,
    aud,
    sub,
    subject:
      Object.keys(claims).length === 0
        ? subject
        : { ...subject, claims: { ...subject.claims, ...claims } },
    roleArn,
    roleSource: null,
    roleSessionName: null,
    durationSeconds: null,
    userAgent: null,
    chained: null,
  };
}

/** `--claim KEY=VALUE` options as claims; an unknown GitHub key is a usage error naming it. */
function parseClaims(values: readonly string[], githubIssuer: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    const key = eq < 0 ? '' : v.slice(0, eq).trim();
    if (eq <= 0 || key === '')
      throw new OidcwatchError('ERR_USAGE', `simulate: --claim must be KEY=VALUE, got "${v}"`);
    const claim = key.toLowerCase();
    if (claim === 'aud' || claim === 'sub')
      throw new OidcwatchError('ERR_USAGE', `simulate: give ${claim} with --${claim}, not --claim`);
    if (githubIssuer && !GITHUB_CONDITION_CLAIMS.includes(claim))
      throw new OidcwatchError(
        'ERR_USAGE',
        `simulate: --claim ${key}: STS makes no condition key of "${key}" for GitHub tokens (it does for ${GITHUB_CONDITION_CLAIMS.join(', ')})`
      );
    out[claim] = v.slice(eq + 1);
  }
  return out;
}

/** What `--trust-policy` held: the document, and the role when it was `aws iam get-role` output. */
interface PolicyInput {
  readonly document: unknown;
  readonly read: PolicyReadResult;
  readonly roleArn: string | null;
}

function readPolicyInput(text: string): PolicyInput {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // URL-encoded text (iam:GetRole's document) or not JSON at all: readTrustPolicy says which.
  }
  const role =
    typeof parsed === 'object' && parsed !== null && 'Role' in parsed
      ? (parsed as { Role?: { Arn?: unknown; AssumeRolePolicyDocument?: unknown } }).Role
      : undefined;
  if (role !== undefined && role !== null && role.AssumeRolePolicyDocument !== undefined) {
    const document = role.AssumeRolePolicyDocument;
    return {
      document,
      read: readTrustPolicy(document),
      roleArn: typeof role.Arn === 'string' ? role.Arn : null,
    };
  }
  return { document: text, read: readTrustPolicy(text), roleArn: null };
}

/** Runs `oidcwatch simulate`. */
export const run: Command = async (argv, io) => {
  try {
    const { values } = parseCommandArgs('simulate', argv, {
      'trust-policy': { type: 'string' },
      provider: { type: 'string' },
      aud: { type: 'string' },
      sub: { type: 'string' },
      claim: { type: 'string', multiple: true, default: [] },
      'role-arn': { type: 'string' },
      fix: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT.OK;
    }
    const file = required('simulate', 'trust-policy', values['trust-policy']);
    const provider = required('simulate', 'provider', values.provider);
    if (!PROVIDER_ARN.test(provider))
      throw new OidcwatchError(
        'ERR_USAGE',
        `simulate: --provider must be an IAM OIDC provider ARN (arn:aws:iam::ACCOUNT:oidc-provider/ISSUER-URL), got "${provider}"`
      );
    const aud = required('simulate', 'aud', values.aud);
    const sub = required('simulate', 'sub', values.sub);
    const claims = parseClaims(values.claim ?? [], identifyIssuer(provider).kind === 'github');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new OidcwatchError(
        'ERR_INPUT_UNREADABLE',
        `cannot read trust policy ${file}: ${(e as Error).message}`,
        { cause: e }
      );
    }
    const input = readPolicyInput(text);
    if (!input.read.ok)
      throw new OidcwatchError('ERR_TRUST_POLICY_UNREADABLE', `${file}: ${input.read.reason}`);
    const policy = input.read.policy;
    const account = providerAccountId(provider);
    const roleArn =
      values['role-arn'] ??
      input.roleArn ??
      `arn:aws:iam::${account ?? '000000000000'}:role/simulated`;
    const roleKnown = values['role-arn'] !== undefined || input.roleArn !== null;
    const call = simulatedCall(provider, aud, sub, roleArn, claims);
    const trace = evaluateTrustPolicy(policy, webIdentityRequest(call));
    const allowed = trace.decision === 'allow';
    const verdict = allowed
      ? null
      : judgeTrustPolicy(call, roleArn, policy, { document: input.document });
    const remedy = verdict?.remedy ?? null;
    const fix = remedy?.summary ?? verdict?.fix ?? null;
    let wrote: string | null = null;
    if (values.fix !== undefined && remedy?.kind === 'trust-policy' && remedy.policy !== null) {
      await writeFile(values.fix, `${JSON.stringify(remedy.policy, null, 2)}\n`);
      wrote = values.fix;
    }
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({ allowed, decision: trace.decision, cause: verdict?.cause ?? null, detail: verdict?.detail ?? null, explanation: verdict?.explanation ?? null, fix, remedy, trace })}\n`
      );
    } else {
      const style = styleFor(io.stdout, io.env);
      const head =
        trace.decision === 'allow'
          ? style.green('allowed: yes')
          : trace.decision === 'unknown'
            ? style.yellow('allowed: unknown (depends on claims CloudTrail does not record)')
            : style.red(`allowed: no (${trace.decision})`);
      io.stdout.write(`${head}\n${traceText(trace, style)}`);
      if (verdict !== null && verdict.cause !== 'DENIED_OUTSIDE_TRUST_POLICY') {
        io.stdout.write(
          `cause: ${verdict.cause}${verdict.detail ? `/${verdict.detail}` : ''}\n${verdict.explanation}\n`
        );
        if (fix !== null) io.stdout.write(`fix: ${fix}\n`);
        if (remedy !== null) {
          for (const line of remedyDiff(remedy)) io.stdout.write(`  ${line}\n`);
          io.stdout.write(`remedy: ${remedy.kind} · ${verificationText(remedy)}\n`);
          if (remedy.command !== null && remedy.kind === 'trust-policy')
            io.stdout.write(
              `apply: ${applyCommand(remedy.command, roleKnown, wrote)}${wrote === null ? ' (write the patched policy with --fix trust-policy.json)' : ''}\n`
            );
        }
      }
    }
    if (values.fix !== undefined)
      io.stderr.write(
        wrote !== null
          ? `oidcwatch simulate: wrote the patched trust policy to ${wrote}\n`
          : `oidcwatch simulate: no trust-policy change is offered${allowed ? ' (the policy already admits these claims)' : ''}; ${values.fix} not written\n`
      );
    return EXIT.OK;
  } catch (e) {
    return reportError(e, io, 'simulate');
  }
};
