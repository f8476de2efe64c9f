/**
 * What the developer whose job failed reads on their run: a check run named
 * {@link CHECK_RUN_NAME}, conclusion `failure`, whose output says what AWS refused and why, what
 * to change (the remedy and its diff, with what oidcwatch checked about it), the facts of the
 * call, and an annotation on the workflow line the fix concerns. Everything from the diagnosis is
 * redacted to the call's own role, account and repository first.
 *
 * Pure: the caller gives the diagnosis, the matched job or commit and the workflow line.
 */
import type { Remedy, RemedyEdit, WorkflowEdit } from '../remedy/remedy-types.js';
import type { Diagnosis } from '../types.js';
import { causePhrase } from './cause-phrase.js';
import { cap, clip, code, fenced, link, prose } from './markdown.js';
import { type CallOwner, isOwnOnly, redactForeign } from './redact-foreign.js';
import type { WorkflowLine } from './workflow-line.js';

/** The check run's name: what developers see in the checks list of their commit. */
export const CHECK_RUN_NAME = 'AWS role assumption (oidcwatch)';

/** GitHub's limit on `output.summary` and `output.text`. */
export const OUTPUT_LIMIT = 65_535;

/** Where the check run goes. */
export type CheckRunTarget =
  | {
      readonly kind: 'job';
      readonly headSha: string;
      readonly workflowName: string | null;
      readonly workflowPath: string;
      readonly runNumber: number;
      readonly runAttempt: number;
      readonly runUrl: string;
      readonly jobName: string;
      readonly jobUrl: string | null;
    }
  | {
      readonly kind: 'commit';
      readonly headSha: string;
      readonly runs: readonly {
        readonly workflowName: string | null;
        readonly runNumber: number;
        readonly runUrl: string;
        readonly jobName: string;
        readonly jobUrl: string | null;
      }[];
    };

/** What a check run is made from. */
export interface CheckRunInput {
  readonly diagnosis: Diagnosis;
  /** Failed attempts of the job. */
  readonly attempts: number;
  readonly firstCallMs: number;
  readonly lastCallMs: number;
  readonly target: CheckRunTarget;
  /** The line of the workflow file the fix concerns, with the file's path, when it was read. */
  readonly workflowLine: (WorkflowLine & { readonly path: string }) | null;
  /** Identifies this failing job's check run (found again before posting twice). */
  readonly externalId: string;
}

/** An annotation on a line of the workflow file. */
export interface CheckRunAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: 'failure';
  readonly title: string;
  readonly message: string;
}

/** The check run's fields (POST /repos/{owner}/{repo}/check-runs, owner and repo aside). */
export interface CheckRunContent {
  readonly name: string;
  readonly head_sha: string;
  readonly external_id: string;
  readonly status: 'completed';
  readonly conclusion: 'failure';
  readonly completed_at: string;
  readonly output: {
    readonly title: string;
    readonly summary: string;
    readonly text: string;
    readonly annotations?: readonly CheckRunAnnotation[];
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function roleName(arn: string | null): string | null {
  return arn === null ? null : (arn.split('/').pop() ?? arn);
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

function ownerOf(d: Diagnosis): CallOwner {
  const r = d.remedy;
  const admitting =
    r?.kind === 'role' && r.useRoleArn !== null && r.verified && r.verification?.admitsCall === true
      ? [r.useRoleArn]
      : [];
  return {
    account: d.account,
    roleArn: d.roleArn,
    repository: d.repository,
    admittingRoles: admitting,
  };
}

/** One hunk per statement × element × operator × key. */
function editsDiff(edits: readonly RemedyEdit[], clean: (s: string) => string): string {
  const lines: string[] = [];
  for (const e of edits) {
    const where = [
      e.statement === 'new' ? 'new statement' : `statement ${e.statement}`,
      e.element,
      e.operator,
      e.key,
    ]
      .filter((x): x is string => x !== null && x !== '')
      .join(' › ');
    lines.push(`@@ ${clean(where)} @@`);
    for (const v of e.removed ?? []) lines.push(`- ${JSON.stringify(clean(v))}`);
    for (const v of e.added ?? []) lines.push(`+ ${JSON.stringify(clean(v))}`);
  }
  return fenced('diff', lines.join('\n'));
}

function workflowDiff(
  edits: readonly WorkflowEdit[],
  line: CheckRunInput['workflowLine'],
  clean: (s: string) => string
): string {
  const lines: string[] = [];
  if (line !== null) lines.push(`@@ ${line.path}, line ${line.line} @@`);
  for (const e of edits) {
    const key = e.key.replace(/^with\./, '');
    const current = line !== null && e.key.endsWith(line.key) ? line.value : null;
    if (current !== null && current !== '') lines.push(`- ${key}: ${clean(current)}`);
    lines.push(e.value === null ? `- ${key}` : `+ ${key}: ${clean(e.value)}`);
  }
  return fenced('diff', lines.join('\n'));
}

function verificationLines(r: Remedy, clean: (s: string) => string): string[] {
  const out: string[] = [];
  if (r.verification === null) return out;
  if (r.verified) {
    const policy = r.kind === 'trust-policy';
    const checks = [
      policy
        ? "the patched policy admits this job's call under oidcwatch's IAM evaluator"
        : "with this change, the role's trust policy admits the job's call under oidcwatch's IAM evaluator",
    ];
    if (policy && (r.verification.newFindings ?? []).length === 0)
      checks.push('it adds no over-permissive finding');
    if (r.verification.withinLimits) checks.push('it stays within AWS limits');
    out.push(`**Checked by oidcwatch:** ${checks.join('; ')}.`);
  } else {
    const problems = (r.verification.problems ?? []).map((p) => prose(clean(p))).join('; ');
    out.push(
      `**Not verified:** ${problems || 'verification did not pass'}. Do not apply it as it is.`
    );
  }
  const blast = r.blastRadius;
  if (blast !== null) {
    const scope: Record<string, string> = {
      call: 'It admits nothing beyond calls like this one.',
      repository: 'Beyond this call, it also admits other workflows of this repository',
      owner:
        'Beyond this call, it also admits other repositories of an owner the policy already trusts',
      wider: 'It would admit more than this repository and owner: oidcwatch does not offer it.',
    };
    const admitted = (blast.newlyAdmitted ?? []).map((l) => prose(clean(l)));
    const sentence = scope[blast.scope] ?? '';
    out.push(
      blast.scope === 'call' || blast.scope === 'wider' || admitted.length === 0
        ? `**Blast radius:** ${sentence}`
        : `**Blast radius:** ${sentence}: ${admitted.join(', ')}.`
    );
  }
  return out;
}

/** The "what to change" section: the remedy when there is one, else the fix sentence. */
function fixSection(input: CheckRunInput, clean: (s: string) => string): string[] {
  const d = input.diagnosis;
  const r = d.remedy ?? null;
  const role = roleName(d.roleArn);
  // Without a remedy, the fix sentence in the summary is all there is to say.
  if (r === null) return [];
  // The remedy's sentence is the summary's "Fix:"; here, who changes what, and the diff.
  const out = ['## How to fix it', ''];
  const account = code(d.account ?? '?');
  switch (r.kind) {
    case 'trust-policy':
      out.push(
        `Whoever manages the role ${code(role ?? '?')} in account ${account} applies this change to its trust policy:`
      );
      if (r.edits.length > 0) out.push('', editsDiff(r.edits, clean));
      break;
    case 'workflow':
      out.push('Change the job in the workflow file:');
      break;
    case 'provider':
      out.push(
        `Whoever manages account ${account} changes its IAM OIDC provider, as the fix says.`
      );
      break;
    case 'role':
      out.push(
        'Point `role-to-assume` at the role the fix names, or ask for the role to be created.'
      );
      break;
    case 'intentional':
      out.push(
        `**This is deliberate**${r.statement === null ? '' : ` (statement ${code(clean(r.statement))})`}: oidcwatch offers no loosening.`
      );
      break;
    default:
      out.push('Nothing needs to change in AWS.');
  }
  if (r.workflow.length > 0) out.push('', workflowDiff(r.workflow, input.workflowLine, clean));
  const checks = verificationLines(r, clean);
  if (checks.length > 0) out.push('', ...checks.flatMap((l) => [l, '']).slice(0, -1));
  // The whole patched document (and the command that applies it) only when it names nothing
  // foreign: a trust policy shared with other repositories stays with the platform team.
  const policy = r.policy === null ? null : JSON.stringify(r.policy, null, 2);
  const own = (t: string | null): t is string => t !== null && isOwnOnly(t, ownerOf(d));
  if (own(policy) || own(r.command)) {
    out.push(
      '',
      '<details><summary>The patched trust policy and the command that applies it</summary>'
    );
    if (own(policy)) out.push('', fenced('json', policy));
    if (own(r.command)) out.push('', fenced('sh', r.command));
    out.push('', '</details>');
  }
  return out;
}

function factsTable(input: CheckRunInput, clean: (s: string) => string): string[] {
  const d = input.diagnosis;
  const t = input.target;
  const rows: [string, string][] = [
    ['Cause', `${code(d.cause)}${d.detail === null ? '' : ` · ${code(d.detail)}`}`],
    ['Role', d.roleArn === null ? 'none recorded' : code(d.roleArn)],
    ['Subject (`sub`)', d.sub === null ? 'none' : code(clean(d.sub))],
    ['Audience (`aud`)', d.aud === null ? 'none' : code(d.aud)],
    [
      'When',
      input.attempts > 1
        ? `${iso(input.firstCallMs)}, ${input.attempts} attempts over ${duration(input.lastCallMs - input.firstCallMs)}`
        : iso(input.firstCallMs),
    ],
    ['Where', `account ${code(d.account ?? '?')}, ${code(d.region ?? '?')}`],
  ];
  if (t.kind === 'job')
    rows.push([
      'Job',
      `${link(t.jobName, t.jobUrl)} in ${link(`${t.workflowName ?? t.workflowPath} #${t.runNumber}`, t.runUrl)}${t.runAttempt > 1 ? `, attempt ${t.runAttempt}` : ''}`,
    ]);
  else
    rows.push([
      'Runs on this commit',
      t.runs
        .map(
          (r) =>
            `${link(r.jobName, r.jobUrl)} in ${link(`${r.workflowName ?? 'run'} #${r.runNumber}`, r.runUrl)}`
        )
        .join(', '),
    ]);
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)];
}

/**
 * The check run for one failing job.
 *
 * @example
 * ```ts
 * const content = renderCheckRun({ diagnosis, attempts: 12, firstCallMs, lastCallMs, target, workflowLine, externalId });
 * await client.createCheckRun(owner, repo, content);
 * ```
 */
export function renderCheckRun(input: CheckRunInput): CheckRunContent {
  const d = input.diagnosis;
  const owner = ownerOf(d);
  const clean = (s: string) => redactForeign(s, owner);
  const role = roleName(d.roleArn);
  const phrase = causePhrase(d.cause, d.detail);
  const title = clip(
    role === null ? `AWS refused the role: ${phrase}` : `AWS refused role ${role}: ${phrase}`,
    255
  );
  const summary = [
    `### ${prose(`${phrase[0]?.toUpperCase()}${phrase.slice(1)}`)}`,
    '',
    `AWS refused to let this job assume ${role === null ? 'a role' : code(role)} (${code('sts:AssumeRoleWithWebIdentity')}).`,
    '',
    `**Why:** ${prose(clean(d.explanation))}`,
    ...(d.fix === null ? [] : ['', `**Fix:** ${prose(clean(d.remedy?.summary ?? d.fix))}`]),
    '',
    ...factsTable(input, clean),
  ].join('\n');
  const change =
    d.change === undefined || d.change === null
      ? []
      : ['', '## What changed recently', '', prose(clean(d.change.summary))];
  const findings = d.findings
    .filter((f) => f.roleArn === d.roleArn)
    .map(
      (f) =>
        `- ${code(f.detail === null ? f.code : `${f.code}/${f.detail}`)}: ${prose(clean(f.message))}`
    );
  const text = [
    ...fixSection(input, clean),
    ...change,
    ...(findings.length === 0 ? [] : ['', '## Also found on this role', '', ...findings]),
    '',
    '---',
    `Posted by oidcwatch from the failed call${d.eventId === null ? '' : ` ${code(d.eventId)}`} in AWS CloudTrail. oidcwatch reads the call's claims and the role's trust policy; it never sees the job's token.`,
  ].join('\n');
  const wl = input.workflowLine;
  const annotations: CheckRunAnnotation[] =
    wl === null
      ? []
      : [
          {
            path: wl.path,
            start_line: wl.line,
            end_line: wl.line,
            annotation_level: 'failure',
            title,
            message: cap(clean(d.remedy?.summary ?? d.fix ?? d.explanation), 4000, '(cut)'),
          },
        ];
  return {
    name: CHECK_RUN_NAME,
    head_sha: input.target.headSha,
    external_id: input.externalId,
    status: 'completed',
    conclusion: 'failure',
    completed_at: iso(input.lastCallMs),
    output: {
      title,
      summary: cap(summary, OUTPUT_LIMIT, "(cut at GitHub's limit)"),
      text: cap(text, OUTPUT_LIMIT, "(cut at GitHub's limit)"),
      ...(annotations.length === 0 ? {} : { annotations }),
    },
  };
}

/** The hidden marker that identifies oidcwatch's comment for one role on a pull request. */
export function commentMarker(externalKey: string): string {
  return `<!-- oidcwatch:${externalKey} -->`;
}

/**
 * The pull-request comment: the title, the why and the fix in a few lines, a link to the check
 * run, and the marker it is found by (so a later failure updates it rather than adding another).
 */
export function renderPullRequestComment(
  content: CheckRunContent,
  diagnosis: Diagnosis,
  checkRunUrl: string | null,
  marker: string
): string {
  const owner = ownerOf(diagnosis);
  const clean = (s: string) => redactForeign(s, owner);
  const fix = diagnosis.remedy?.summary ?? diagnosis.fix;
  return [
    marker,
    `**${prose(content.output.title)}**`,
    '',
    prose(clean(diagnosis.explanation)),
    ...(fix === null ? [] : ['', `**Fix:** ${prose(clean(fix))}`]),
    '',
    `${link('Details, diff and the facts of the call', checkRunUrl)} (check ${code(CHECK_RUN_NAME)}, updated ${iso(Date.parse(content.completed_at))}).`,
  ].join('\n');
}
