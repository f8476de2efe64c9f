/**
 * The doctor Action's job summary (`$GITHUB_STEP_SUMMARY`, GitHub-flavoured Markdown) and its
 * annotation: the verdict first, then the cause, explanation and fix, the claims AWS sees, and the
 * trust-policy evaluation. Built from the report, which never holds the token.
 */

import { PLAIN_STYLE } from '../cli/common/style.js';
import { traceText } from '../cli/common/trace-text.js';
import type { DoctorResult, PolicyCheck } from '../usecases/run-doctor.js';

/** How the run ended, for the annotation and the `allowed` output. */
export interface ActionVerdict {
  /** `true` admitted, `false` denied (or no token could be had), `null` not judged. */
  readonly allowed: boolean | null;
  /** The annotation: its level, title and message. */
  readonly annotation: {
    readonly level: 'error' | 'warning' | 'notice';
    readonly title: string;
    readonly message: string;
  };
}

/** A Markdown inline code span holding `value` as is (also inside a table cell). */
export function code(value: string): string {
  if (value === '') return '*(empty)*';
  const text = value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${text}${fence === '``' ? ' ' : ''}${fence}`;
}

function causeOf(p: PolicyCheck): string {
  return `${p.cause ?? 'DENIED'}${p.detail !== null ? `/${p.detail}` : ''}`;
}

/** The verdict of a run: what the annotation says and what `allowed` is. */
export function actionVerdict(result: DoctorResult): ActionVerdict {
  if (result.kind === 'not-ready')
    return {
      allowed: false,
      annotation: {
        level: 'error',
        title: 'oidcwatch doctor: this job cannot get an OIDC token',
        message: `${result.message}\n\n${result.fix}`,
      },
    };
  const p = result.report.policy;
  if (p === null)
    return {
      allowed: null,
      annotation: {
        level: 'notice',
        title: 'oidcwatch doctor: token explained, no trust policy judged',
        message: `sub ${result.report.token.subject?.sub ?? '(none)'}. Set the trust-policy or role-arn input to judge a trust policy.`,
      },
    };
  if (p.allowed === true)
    return {
      allowed: true,
      annotation: {
        level: 'notice',
        title: 'oidcwatch doctor: the role would be assumed',
        message: `The trust policy (${p.location}) admits this job's token.`,
      },
    };
  if (p.allowed === null)
    return {
      allowed: null,
      annotation: {
        level: 'warning',
        title: 'oidcwatch doctor: the trust policy could not be judged',
        message: p.error ?? 'IAM could not be read',
      },
    };
  return {
    allowed: false,
    annotation: {
      level: 'error',
      title: `oidcwatch doctor: ${causeOf(p)}: the role would not be assumed`,
      message: `${p.explanation ?? ''}${p.fix !== null ? `\nfix: ${p.fix}` : ''}`,
    },
  };
}

function policySection(p: PolicyCheck): string[] {
  const where =
    p.source === 'file' ? code(p.location) : `of role ${code(p.location)} (read from IAM)`;
  const lines = [
    '',
    `**Trust policy** ${where}${p.principal === null ? '' : `, principal ${code(p.principal)}`}`,
  ];
  if (p.cause !== null && p.allowed !== true) {
    lines.push('', `**Cause** ${code(causeOf(p))}`, '', p.explanation ?? '');
    if (p.fix !== null) lines.push('', `**Fix** ${p.fix}`);
  }
  if (p.error !== null) lines.push('', `IAM could not be read: ${p.error}`);
  if (p.trace !== null)
    lines.push(
      '',
      '<details><summary>Evaluation, condition by condition</summary>',
      '',
      '```text',
      traceText(p.trace, PLAIN_STYLE).trimEnd(),
      '```',
      '',
      '</details>'
    );
  return lines;
}

const HEADINGS: Readonly<Record<string, string>> = {
  true: '✅ the role would be assumed',
  false: '❌ the role would not be assumed',
  null: 'ℹ️ no verdict',
};

/**
 * The job summary of a run.
 *
 * @example
 * ```ts
 * await appendFile(process.env.GITHUB_STEP_SUMMARY, renderJobSummary(result));
 * ```
 */
export function renderJobSummary(result: DoctorResult): string {
  const verdict = actionVerdict(result);
  const lines = [`## oidcwatch doctor: ${HEADINGS[String(verdict.allowed)]}`, ''];
  if (result.kind === 'not-ready') {
    // The fix is prose with its YAML indented by four spaces: Markdown shows those as code.
    lines.push(result.message, '', result.fix);
    return `${lines.join('\n')}\n`;
  }
  const { report } = result;
  const t = report.token;
  const cell = (v: string) => v.replace(/\|/g, '\\|');
  if (report.policy !== null) lines.push(...policySection(report.policy));
  else
    lines.push(
      '',
      'No trust policy judged: set the `trust-policy` input (a file) or `role-arn` (read from IAM).'
    );
  lines.push(
    '',
    '### The token',
    '',
    `Requested for audience ${code(report.audience)}. The token itself is never printed.`,
    '',
    `**sub** ${code(t.subject?.sub ?? '(none)')}${t.subject ? `: ${t.subject.description}` : ''}`,
    '',
    '| condition key this token presents to AWS | value |',
    '|---|---|',
    ...t.conditionKeys.map(
      (k) =>
        `| ${code(k.key)} | ${k.values.length === 1 ? code(k.values[0] ?? '') : code(JSON.stringify(k.values))} |`
    ),
    '',
    `<details><summary>Every claim of the token (${Object.keys(t.claims).length})</summary>`,
    '',
    '| claim | value |',
    '|---|---|',
    ...Object.entries(t.claims).map(
      ([name, value]) =>
        `| ${cell(name)} | ${code(typeof value === 'string' ? value : JSON.stringify(value))} |`
    ),
    '',
    '</details>'
  );
  if (t.warnings.length > 0) lines.push('', ...t.warnings.map((w) => `> ⚠️ ${w}`));
  if (report.verification !== null)
    lines.push('', `**Signature** ${report.verification.status}: ${report.verification.message}`);
  return `${lines.join('\n')}\n`;
}
