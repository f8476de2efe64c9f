/**
 * The remedy of a cause in the HTML report, as on-call pastes it: for a trust-policy change the
 * diff statement by statement (removed lines marked `−` on red, added `+` on green, so the marks
 * read without colour), the command that applies the patched policy, and what verification found
 * (admits the recorded call, no new findings, within AWS limits, what it newly admits); for the
 * other kinds what to change where (workflow keys, the role to use, the provider) or why nothing
 * is offered.
 */
import type { Remedy, RemedyEdit } from '../../domain/remedy/remedy-types.js';
import { breakableArn, escapeHtml, escapeProse } from './html-escape.js';

const KIND_TITLE: Readonly<Record<Remedy['kind'], string>> = {
  'trust-policy': 'Trust-policy change',
  provider: 'OIDC provider change',
  workflow: 'Workflow change',
  role: 'Use another role',
  none: 'Nothing to change in AWS',
  intentional: 'Intentional: no loosening offered',
};

const SCOPE_TEXT: Readonly<Record<string, string>> = {
  call: 'newly admits only subjects like the recorded one',
  repository: "newly admits other subjects of the job's repository",
  owner: 'newly admits other repositories of an owner the policy already admits',
  wider: 'would admit subjects beyond the repository',
};

function where(e: RemedyEdit): string {
  const parts = [`Statement ${e.statement}`, e.element];
  if (e.operator !== null) parts.push(e.operator);
  if (e.key !== null) parts.push(e.key);
  return parts.join(' · ');
}

function diffLines(edits: readonly RemedyEdit[]): string {
  return edits
    .map((e) => {
      const lines = [`<span class="at">${escapeHtml(where(e))}</span>`];
      for (const v of e.removed)
        lines.push(
          `<span class="del"><span class="mark">−</span> ${escapeHtml(JSON.stringify(v))}</span>`
        );
      for (const v of e.added)
        lines.push(
          `<span class="add"><span class="mark">+</span> ${escapeHtml(JSON.stringify(v))}</span>`
        );
      return lines.join('');
    })
    .join('');
}

function verification(r: Remedy): string {
  if (r.verification === null) return '';
  const v = r.verification;
  const checks = [
    `${v.admitsCall ? '✓' : '✗'} admits the recorded call`,
    `${v.newFindings.length === 0 ? '✓' : '✗'} ${v.newFindings.length === 0 ? 'no new audit findings' : `new findings: ${v.newFindings.join(', ')}`}`,
    `${v.withinLimits ? '✓' : '✗'} within AWS limits`,
  ];
  if (r.blastRadius !== null)
    checks.push(
      `${r.blastRadius.scope === 'wider' ? '✗' : '✓'} ${SCOPE_TEXT[r.blastRadius.scope] ?? r.blastRadius.scope}`
    );
  const problems =
    v.problems.length > 0
      ? `<p class="problems">Not offered as is: ${escapeProse(v.problems.join('; '))}</p>`
      : '';
  const notes = v.notes.length > 0 ? `<p class="notes">${escapeProse(v.notes.join(' '))}</p>` : '';
  return `<ul class="checks">${checks.map((c) => `<li>${escapeHtml(c)}</li>`).join('')}</ul>${problems}${notes}`;
}

/** The remedy block of one cause, or `''` when there is none. */
export function renderRemedy(r: Remedy | null | undefined): string {
  if (r === null || r === undefined) return '';
  const status =
    r.kind === 'trust-policy' || r.verification !== null
      ? r.verified
        ? '<span class="verified">verified</span>'
        : '<span class="unverified">not verified</span>'
      : '';
  const parts = [
    `<div class="remedy-head"><span class="remedy-kind">${escapeHtml(KIND_TITLE[r.kind] ?? r.kind)}</span>${status}</div>`,
  ];
  if (r.edits.length > 0)
    parts.push(
      `<pre class="diff" aria-label="Trust-policy diff"><code>${diffLines(r.edits)}</code></pre>`
    );
  if (r.workflow.length > 0)
    parts.push(
      `<pre class="diff workflow" aria-label="Workflow change"><code>${r.workflow
        .map((w) =>
          w.value === null
            ? `<span class="del"><span class="mark">−</span> ${escapeHtml(w.key)}</span>`
            : `<span class="add"><span class="mark">+</span> ${escapeHtml(`${w.key}: ${w.value}`)}</span>`
        )
        .join('')}</code></pre>`
    );
  if (r.useRoleArn !== null)
    parts.push(`<p>Use <span class="arn">${breakableArn(r.useRoleArn)}</span>.</p>`);
  if (r.kind === 'intentional' && r.statement !== null)
    parts.push(`<p>Statement ${escapeHtml(r.statement)} excludes this call on purpose.</p>`);
  if (r.policy !== null)
    parts.push(
      `<details class="policy"><summary>The patched trust policy (the whole document the command applies)</summary><pre class="command"><code>${escapeHtml(JSON.stringify(r.policy, null, 2))}</code></pre></details>`
    );
  if (r.command !== null)
    parts.push(
      `<pre class="command" aria-label="Command"><code>${escapeHtml(r.command)}</code></pre>`
    );
  parts.push(verification(r));
  // A patch oidcwatch refused to offer: why, never its diff (it is not to be pasted).
  if (r.declined !== null)
    parts.push(
      `<p class="declined">A trust-policy change was considered and not offered: ${escapeProse(r.declined.problems.join('; '))}</p>`
    );
  return `<div class="remedy" data-remedy-kind="${escapeHtml(r.kind)}" data-verified="${r.verified}">${parts.join('')}</div>`;
}
