/**
 * `oidcwatch simulate --trust-policy FILE --provider ARN --aud AUD --sub SUB [--json]`: would STS
 * admit these claims? Prints `allowed` and the per-condition trace, and for a denial the cause and
 * the fix oidcwatch would give.
 */
import { readFile } from 'node:fs/promises';
import { judgeTrustPolicy } from '../../domain/classify/trust/judge-trust-policy.js';
import { OidcwatchError } from '../../domain/errors.js';
import { evaluateTrustPolicy } from '../../domain/policy/evaluate-trust-policy.js';
import { readTrustPolicy } from '../../domain/policy/parse-policy.js';
import { webIdentityRequest } from '../../domain/policy/web-identity-request.js';
import { identifyIssuer, providerAccountId } from '../../domain/subject/identify-issuer.js';
import { parseSubject } from '../../domain/subject/parse-subject.js';
import type { OidcCall } from '../../domain/types.js';
import type { Command } from '../io.js';
import { EXIT } from '../io.js';
import { parseCommandArgs, required } from '../shared/args.js';
import { reportError } from '../shared/exit-code.js';
import { styleFor } from '../shared/style.js';
import { traceText } from '../shared/trace-text.js';

const HELP = `usage: oidcwatch simulate --trust-policy FILE --provider ARN --aud AUD --sub SUB [--json]

Evaluates a trust policy (JSON, or the URL-encoded text iam:GetRole returns) for the claims of an
AssumeRoleWithWebIdentity call, as IAM would, and prints the verdict with every condition.

options:
  --trust-policy FILE  the trust policy document
  --provider ARN       the OIDC provider ARN (Principal.Federated)
  --aud AUD            the token's aud
  --sub SUB            the token's sub
  --role-arn ARN       the role (for messages; default arn:aws:iam::<provider account>:role/simulated)
  --json               print the result as JSON
`;

/** A call made of the given claims, as if CloudTrail had recorded it denied. */
export function simulatedCall(
  provider: string,
  aud: string,
  sub: string,
  roleArn: string | null
): OidcCall {
  const issuer = identifyIssuer(provider);
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
    subject: parseSubject(sub, issuer.kind),
    roleArn,
    roleSource: null,
    roleSessionName: null,
    durationSeconds: null,
    userAgent: null,
    chained: null,
  };
}

/** Runs `oidcwatch simulate`. */
export const run: Command = async (argv, io) => {
  try {
    const { values } = parseCommandArgs('simulate', argv, {
      'trust-policy': { type: 'string' },
      provider: { type: 'string' },
      aud: { type: 'string' },
      sub: { type: 'string' },
      'role-arn': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT.OK;
    }
    const file = required('simulate', 'trust-policy', values['trust-policy']);
    const provider = required('simulate', 'provider', values.provider);
    const aud = required('simulate', 'aud', values.aud);
    const sub = required('simulate', 'sub', values.sub);
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
    const read = readTrustPolicy(text);
    if (!read.ok)
      throw new OidcwatchError('ERR_TRUST_POLICY_UNREADABLE', `${file}: ${read.reason}`);
    const account = providerAccountId(provider);
    const roleArn =
      values['role-arn'] ?? `arn:aws:iam::${account ?? '000000000000'}:role/simulated`;
    const call = simulatedCall(provider, aud, sub, roleArn);
    const trace = evaluateTrustPolicy(read.policy, webIdentityRequest(call));
    const allowed = trace.decision === 'allow';
    const verdict = allowed ? null : judgeTrustPolicy(call, roleArn, read.policy);
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({ allowed, decision: trace.decision, cause: verdict?.cause ?? null, detail: verdict?.detail ?? null, explanation: verdict?.explanation ?? null, fix: verdict?.fix ?? null, trace })}\n`
      );
      return EXIT.OK;
    }
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
      if (verdict.fix !== null) io.stdout.write(`fix: ${verdict.fix}\n`);
    }
    return EXIT.OK;
  } catch (e) {
    return reportError(e, io, 'simulate');
  }
};
