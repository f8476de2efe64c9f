/**
 * `oidcwatch doctor`'s report as text: the token (sub, issuer, audience, lifetime, claims, the
 * condition keys it presents), the trust-policy verdict with its trace, and the signature.
 */
import type { TokenExplanation } from '../../domain/token/explain-token.js';
import type { DoctorReport, PolicyCheck, VerificationReport } from '../../usecases/run-doctor.js';
import type { Style } from '../common/style.js';
import { traceText } from '../common/trace-text.js';

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf']);

function claimText(name: string, value: unknown): string {
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (typeof value === 'number' && TIME_CLAIMS.has(name))
    return `${value} (${new Date(value * 1000).toISOString().replace('.000Z', 'Z')})`;
  return JSON.stringify(value);
}

function rows(pairs: readonly [string, string][], indent = '  '): string[] {
  const width = Math.max(0, ...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${indent}${k.padEnd(width)}  ${v}`);
}

function expiryText(t: TokenExplanation): string {
  const s = t.lifetime.expiresInSeconds;
  if (s === null) return 'no exp claim';
  return s > 0 ? `expires in ${s} s` : `expired ${-s} s ago`;
}

function tokenSection(r: DoctorReport, style: Style): string[] {
  const t = r.token;
  const lines = [
    style.bold(`oidcwatch doctor: the OIDC token of this job (audience "${r.audience}")`),
    '',
  ];
  const head: [string, string][] = [];
  head.push(['sub', t.subject?.sub ?? '(none)']);
  if (t.subject) head.push(['', t.subject.description]);
  head.push(['issuer', t.issuer?.iss ?? '(none)']);
  if (t.issuer) head.push(['', `${t.issuer.description}`]);
  head.push(['aud', t.aud.join(', ') || '(none)']);
  const l = t.lifetime;
  head.push([
    'lifetime',
    `${l.lifetimeSeconds === null ? '?' : `${l.lifetimeSeconds} s`} (issued ${l.issuedAt ?? '?'}, expires ${l.expiresAt ?? '?'}: ${expiryText(t)})`,
  ]);
  head.push([
    'header',
    `alg ${t.header.alg ?? '?'}, kid ${t.header.kid ?? '(none)'}, typ ${t.header.typ ?? '(none)'}`,
  ]);
  lines.push(...rows(head, ''));
  lines.push('', style.bold('claims'));
  lines.push(
    ...rows(Object.entries(t.claims).map(([k, v]): [string, string] => [k, claimText(k, v)]))
  );
  lines.push('', style.bold('condition keys this token presents to AWS'));
  lines.push(
    ...rows(
      t.conditionKeys.map((k): [string, string] => [
        k.key,
        k.values.length === 1 ? (k.values[0] ?? '') : JSON.stringify(k.values),
      ])
    )
  );
  if (t.withheldClaims.length > 0)
    lines.push(
      style.dim(`  not condition keys (STS does not expose them): ${t.withheldClaims.join(', ')}`)
    );
  if (t.warnings.length > 0) {
    lines.push('', style.bold('warnings'));
    for (const w of t.warnings) lines.push(`  ${style.yellow('!')} ${w}`);
  }
  return lines;
}

function policySection(p: PolicyCheck, style: Style): string {
  const lines: string[] = [
    '',
    style.bold(
      p.source === 'file' ? `trust policy ${p.location}` : `role ${p.location} (read from IAM)`
    ),
  ];
  if (p.principal !== null)
    lines.push(
      `  principal ${p.principal}${p.principalNote !== null ? style.dim(`  (${p.principalNote})`) : ''}`
    );
  if (p.provider !== null) {
    const prov = p.provider.provider;
    lines.push(
      prov === null
        ? `  provider  ${style.red('missing')}: the account has no IAM OIDC provider for the token's issuer`
        : `  provider  ${prov.arn}, client IDs ${prov.clientIds.map((c) => `"${c}"`).join(', ') || '(none)'}`
    );
  }
  let text = `${lines.join('\n')}\n`;
  if (p.error !== null)
    return `${text}${style.yellow('allowed: unknown')}: IAM could not be read (${p.error})\n`;
  text +=
    p.allowed === true
      ? `${style.green('allowed: yes')}\n`
      : `${style.red(`allowed: no${p.decision !== null && p.decision !== 'allow' ? ` (${p.decision})` : ''}`)}\n`;
  if (p.trace !== null) text += traceText(p.trace, style);
  if (p.cause !== null) {
    text += `cause: ${p.cause}${p.detail !== null ? `/${p.detail}` : ''}\n${p.explanation ?? ''}\n`;
    if (p.fix !== null) text += `fix: ${p.fix}\n`;
    const own = `${p.cause}${p.detail !== null ? `/${p.detail}` : ''}`;
    if (p.cloudTrailCause !== null && p.cloudTrailCause !== own)
      text += style.dim(
        `from CloudTrail, oidcwatch classifies this failure as ${p.cloudTrailCause}\n`
      );
  }
  return text;
}

function verificationSection(v: VerificationReport, t: TokenExplanation, style: Style): string {
  const status =
    v.status === 'valid'
      ? style.green('valid')
      : v.status === 'unreachable'
        ? style.yellow('not checked')
        : style.red(v.status);
  return `\n${style.bold('signature')}\n  ${status}: ${v.message}; the token ${expiryText(t)}\n`;
}

/**
 * The whole report as text.
 *
 * @example
 * ```ts
 * io.stdout.write(renderDoctorText(report, styleFor(io.stdout, io.env)));
 * ```
 */
export function renderDoctorText(report: DoctorReport, style: Style): string {
  let text = `${tokenSection(report, style).join('\n')}\n`;
  if (report.policy !== null) text += policySection(report.policy, style);
  else
    text += style.dim(
      '\nno trust policy given: add --trust-policy FILE, or --role-arn ARN with IAM read access, to evaluate one\n'
    );
  if (report.verification !== null)
    text += verificationSection(report.verification, report.token, style);
  return text;
}
