/**
 * The doctor GitHub Action (`action.yml`, bundled to `action/dist/index.js`): runs `oidcwatch
 * doctor` inside the job with the Action's inputs, writes the verdict to the job summary and as
 * an annotation, sets outputs, and fails the step only with `fail-on-deny: true`. The job's token
 * and the request token are never printed: every text goes through the same redaction as the
 * CLI's.
 *
 * Inputs (`INPUT_*`): `audience`, `trust-policy`, `role-arn`, `verify`, `fail-on-deny`.
 * Outputs: `allowed` (`true`/`false`/empty), `cause`, `detail`, `sub`.
 */
import * as core from '@actions/core';
import { diagnoseJob } from '../cli/commands/doctor.js';
import { errorLine } from '../cli/common/exit-code.js';
import { PLAIN_STYLE } from '../cli/common/style.js';
import { redactSecrets } from '../cli/doctor/redact.js';
import { renderDoctorText } from '../cli/doctor/render-text.js';
import { OidcwatchError } from '../domain/errors.js';
import { actionVerdict, renderJobSummary } from './job-summary.js';

function booleanInput(name: string): boolean {
  const value = core.getInput(name).trim().toLowerCase();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new OidcwatchError('ERR_USAGE', `input ${name} must be true or false, got "${value}"`);
}

/** Runs the Action; returns the process exit code (1 only when the step should fail). */
export async function runAction(): Promise<number> {
  const secrets: string[] = [];
  const requestToken = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (requestToken !== undefined) secrets.push(requestToken);
  const safe = (text: string) => redactSecrets(text, secrets);
  let failOnDeny = false;
  try {
    failOnDeny = booleanInput('fail-on-deny');
    const trustPolicy = core.getInput('trust-policy');
    const roleArn = core.getInput('role-arn');
    if (trustPolicy !== '' && roleArn !== '')
      throw new OidcwatchError(
        'ERR_USAGE',
        'give the trust-policy or the role-arn input, not both'
      );
    const result = await diagnoseJob(
      {
        audience: core.getInput('audience') || 'sts.amazonaws.com',
        trustPolicyFile: trustPolicy === '' ? null : trustPolicy,
        roleArn: roleArn === '' ? null : roleArn,
        verify: booleanInput('verify'),
      },
      { env: process.env, now: () => new Date() },
      secrets
    );
    if (result.kind === 'report') {
      process.stdout.write(safe(renderDoctorText(result.report, PLAIN_STYLE)));
      for (const problem of result.unreachable)
        core.warning(safe(problem), { title: 'oidcwatch doctor' });
    }
    const verdict = actionVerdict(result);
    const { level, title, message } = verdict.annotation;
    core[level](safe(message), { title: safe(title) });
    await core.summary.addRaw(safe(renderJobSummary(result))).write();
    const policy = result.kind === 'report' ? result.report.policy : null;
    core.setOutput('allowed', verdict.allowed === null ? '' : String(verdict.allowed));
    core.setOutput('cause', policy?.allowed === false ? (policy.cause ?? '') : '');
    core.setOutput('detail', policy?.allowed === false ? (policy.detail ?? '') : '');
    core.setOutput(
      'sub',
      result.kind === 'report' ? safe(result.report.token.subject?.sub ?? '') : ''
    );
    return failOnDeny && verdict.allowed === false ? 1 : 0;
  } catch (e) {
    const message =
      e instanceof OidcwatchError ? e.message : `unexpected error: ${(e as Error)?.stack ?? e}`;
    core.error(safe(errorLine('doctor', message).trimEnd()), { title: 'oidcwatch doctor' });
    return failOnDeny ? 1 : 0;
  }
}

process.exitCode = await runAction();
