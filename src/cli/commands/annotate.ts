/**
 * `oidcwatch annotate [FILE…|-] [--dry-run]`: for each failing job in `classify --json` output,
 * the GitHub Actions run and job that made the call and the check run posted on it (with
 * `--dry-run`, what would be posted). For backfills and for trying the annotator before turning
 * it on in the monitor stack.
 */
import { readFile } from 'node:fs/promises';
import { GitHubApiError } from '../../adapters/github/github-api-error.js';
import { githubApiUrlFromEnv } from '../../adapters/github/github-api-url.js';
import {
  GitHubConnection,
  type GitHubCredentials,
} from '../../adapters/github/github-connection.js';
import { RepositoryResolver } from '../../adapters/github/repository-access.js';
import { readInputs } from '../../adapters/input/read-inputs.js';
import {
  type AnnotationResult,
  annotateFailingJob,
  DEFAULT_ANNOTATOR_OPTIONS,
} from '../../annotator/annotate-failing-job.js';
import { MemoryAnnotationStore } from '../../annotator/annotation-store.js';
import { groupFailingJobs } from '../../domain/annotate/failing-jobs.js';
import { readResultLine } from '../../domain/annotate/result-line.js';
import { OidcwatchError } from '../../domain/errors.js';
import type { Diagnosis } from '../../domain/types.js';
import { parseCommandArgs } from '../common/args.js';
import { errorLine, reportError } from '../common/exit-code.js';
import type { Command } from '../io.js';
import { EXIT, refuseTerminalStdin, whenWritable } from '../io.js';

const HELP = `usage: oidcwatch annotate [FILE…|-] [options]

Reads diagnoses (oidcwatch classify --json lines; - or nothing reads stdin), groups the failures
into failing jobs (a job's retries are one), finds for each the GitHub Actions run and job that made
the call, and posts one check run on it: "AWS role assumption (oidcwatch)", conclusion failure,
with the cause, the explanation, the fix and its diff, and an annotation on the workflow line.

options:
  --dry-run            find the runs and show what would be posted; post nothing
  --app-id ID          GitHub App id (default: $OIDCWATCH_GITHUB_APP_ID)
  --private-key FILE   the app's private key, PEM (default: $OIDCWATCH_GITHUB_PRIVATE_KEY_FILE)
  --comment            also comment on the pull request of pull-request runs (one comment per
                       role, updated rather than repeated)
  --lookback-hours N   how long before the call its run may have been created (default 6)
  --json               one JSON line per failing job
  -h, --help           show this help

GitHub: the API base URL is $GITHUB_API_URL (default https://api.github.com; GitHub Enterprise
Server: https://HOST/api/v3; GHE.com: https://api.SUBDOMAIN.ghe.com). Credentials: the GitHub App
(--app-id and --private-key), else $GITHUB_TOKEN; with neither, --dry-run reads public
repositories only. See docs/annotator.md.
`;

/** The app or token credentials from the options and environment. */
async function credentialsFrom(
  values: { 'app-id'?: string | undefined; 'private-key'?: string | undefined },
  env: Readonly<Record<string, string | undefined>>
): Promise<GitHubCredentials> {
  const appId = values['app-id'] ?? env.OIDCWATCH_GITHUB_APP_ID?.trim();
  const keyFile = values['private-key'] ?? env.OIDCWATCH_GITHUB_PRIVATE_KEY_FILE?.trim();
  if (appId || keyFile) {
    if (!appId)
      throw new OidcwatchError(
        'ERR_USAGE',
        'annotate: --private-key needs --app-id (or OIDCWATCH_GITHUB_APP_ID)'
      );
    if (!keyFile)
      throw new OidcwatchError(
        'ERR_USAGE',
        'annotate: --app-id needs --private-key FILE (or OIDCWATCH_GITHUB_PRIVATE_KEY_FILE)'
      );
    if (!/^(\d+|Iv[\w.]+)$/.test(appId))
      throw new OidcwatchError(
        'ERR_USAGE',
        `annotate: --app-id must be the GitHub App's id (digits) or client id (Iv…), got "${appId}"`
      );
    let privateKey: string;
    try {
      privateKey = await readFile(keyFile, 'utf8');
    } catch (e) {
      throw new OidcwatchError(
        'ERR_INPUT_UNREADABLE',
        `annotate: cannot read the private key ${keyFile}: ${(e as Error).message}`
      );
    }
    if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(privateKey))
      throw new OidcwatchError(
        'ERR_INPUT_MALFORMED',
        `annotate: ${keyFile} is not a PEM private key (GitHub gives one starting "-----BEGIN RSA PRIVATE KEY-----")`
      );
    return { kind: 'app', appId, privateKey };
  }
  const token = env.GITHUB_TOKEN?.trim();
  return token ? { kind: 'token', token } : { kind: 'anonymous' };
}

function when(ms: number | null): string {
  return ms === null
    ? '—'
    : new Date(ms)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z')
        .replace('T', ' ');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? '' : `      ${l}`))
    .join('\n');
}

function describe(
  r: AnnotationResult,
  job: { diagnosis: Diagnosis; firstCallMs: number | null },
  body: boolean
): string {
  const d = job.diagnosis;
  const cause = d.detail === null ? d.cause : `${d.cause}/${d.detail}`;
  const head = `${when(job.firstCallMs)}  ${(d.repository ?? '(no repository)').padEnd(26)} ${cause}  (${r.attempts} attempt${r.attempts === 1 ? '' : 's'})`;
  const lines = [head];
  const t = r.target;
  if (t !== null) {
    const sha = t.headSha.slice(0, 7);
    lines.push(
      t.kind === 'job'
        ? `    run:    ${t.repository} run ${t.runId}${(t.runAttempt ?? 1) > 1 ? ` attempt ${t.runAttempt}` : ''}, job "${t.jobName}" on ${sha}  ${t.jobUrl ?? ''}`.trimEnd()
        : `    commit: ${t.repository}@${sha} (several runs on this commit held the call)`
    );
    if (t.workflowLine !== null)
      lines.push(
        `    line:   ${t.workflowLine.path}:${t.workflowLine.line} (${t.workflowLine.key})`
      );
  }
  if (r.content !== null) lines.push(`    title:  ${r.content.output.title}`);
  const status: Record<AnnotationResult['outcome'], string> = {
    posted: `posted  ${r.checkRunUrl ?? ''}`,
    would_post: 'would post (dry run)',
    duplicate: `already posted: ${r.reason ?? ''}`,
    unmatched: `unmatched: ${r.reason ?? ''}`,
    not_installed: `not installed: ${r.reason ?? ''}`,
    failed: `failed: ${r.reason ?? ''}`,
    not_applicable: `not annotated: ${r.reason ?? ''}`,
  };
  lines.push(
    `    ${status[r.outcome].trimEnd()}${r.comment === null ? '' : `; pull-request comment ${r.comment}`}`
  );
  if (body && r.content !== null)
    lines.push('', indent(r.content.output.summary), '', indent(r.content.output.text), '');
  return lines.join('\n');
}

const MAX_WAIT_MS = 60_000;

/** Runs `oidcwatch annotate`. */
export const run: Command = async (argv, io) => {
  try {
    const { values, positionals } = parseCommandArgs('annotate', argv, {
      'dry-run': { type: 'boolean', default: false },
      'app-id': { type: 'string' },
      'private-key': { type: 'string' },
      comment: { type: 'boolean', default: false },
      'lookback-hours': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT.OK;
    }
    if (refuseTerminalStdin('annotate', positionals, io, HELP)) return EXIT.USAGE;
    const lookback = Number(values['lookback-hours'] ?? 6);
    if (!Number.isFinite(lookback) || lookback <= 0 || lookback > 24 * 35)
      throw new OidcwatchError(
        'ERR_USAGE',
        `annotate: --lookback-hours must be a number of hours above 0 and at most 840, got "${values['lookback-hours']}"`
      );
    let baseUrl: string;
    try {
      baseUrl = githubApiUrlFromEnv(io.env);
    } catch (e) {
      throw new OidcwatchError('ERR_USAGE', `annotate: ${(e as Error).message}`);
    }
    const credentials = await credentialsFrom(values, io.env);
    const dryRun = values['dry-run'];
    if (!dryRun && credentials.kind === 'anonymous')
      throw new OidcwatchError(
        'ERR_USAGE',
        'annotate: posting needs the GitHub App (--app-id and --private-key) or GITHUB_TOKEN; use --dry-run to only look'
      );

    const diagnoses: Diagnosis[] = [];
    let unreadable = 0;
    for await (const item of readInputs(positionals, { stdin: io.stdin })) {
      if (item.kind === 'record') {
        const r = readResultLine(item.value);
        if (r.ok) diagnoses.push(r.diagnosis);
        else {
          unreadable += 1;
          io.stderr.write(
            errorLine(
              'annotate',
              `${item.source}, record ${item.index + 1}: not a diagnosis: ${r.reason}`
            )
          );
        }
      } else {
        unreadable += 1;
        io.stderr.write(errorLine('annotate', item.reason));
      }
    }

    const connection = new GitHubConnection({
      baseUrl,
      credentials,
      log: {
        warn: (msg, fields) =>
          io.stderr.write(errorLine('annotate', `${msg} ${JSON.stringify(fields ?? {})}`)),
      },
    });
    const resolver = new RepositoryResolver({ connection });
    const deps = {
      resolve: (ref: Parameters<RepositoryResolver['resolve']>[0]) => resolver.resolve(ref),
      store: new MemoryAnnotationStore(),
      options: {
        ...DEFAULT_ANNOTATOR_OPTIONS,
        dryRun,
        pullRequestComments: values.comment,
        match: { ...DEFAULT_ANNOTATOR_OPTIONS.match, lookbackMs: lookback * 3_600_000 },
      },
    };
    const counts = new Map<string, number>();
    let githubFailed = false;
    const jobs = groupFailingJobs(diagnoses);
    for (const job of jobs) {
      let r: AnnotationResult | null = null;
      for (let attempt = 1; r === null; attempt += 1) {
        try {
          r = await annotateFailingJob(job, deps);
        } catch (e) {
          const wait = e instanceof GitHubApiError ? (e.retryAfterMs ?? 5000) : 5000;
          if (attempt >= 3 || wait > MAX_WAIT_MS || !(e instanceof GitHubApiError)) {
            githubFailed = true;
            r = {
              key: job.key,
              outcome: 'failed',
              reason: `${e instanceof Error ? e.message : String(e)}; run again later`,
              repository: job.diagnosis.repository,
              attempts: job.attempts,
              target: null,
              content: null,
              checkRunUrl: null,
              comment: null,
            };
          } else {
            io.stderr.write(
              errorLine('annotate', `${e.message}; waiting ${Math.ceil(wait / 1000)} s`)
            );
            await new Promise((resolve) => setTimeout(resolve, wait));
          }
        }
      }
      if (r.outcome === 'failed' && /HTTP 40[13]/.test(r.reason ?? '')) githubFailed = true;
      counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
      io.stdout.write(
        values.json
          ? `${JSON.stringify({
              key: r.key,
              outcome: r.outcome,
              reason: r.reason,
              repository: r.repository,
              cause: job.diagnosis.cause,
              detail: job.diagnosis.detail,
              attempts: r.attempts,
              firstCall: job.firstCallMs === null ? null : new Date(job.firstCallMs).toISOString(),
              target: r.target,
              checkRun: r.content,
              checkRunUrl: r.checkRunUrl,
              comment: r.comment,
            })}\n`
          : `${describe(r, job, dryRun)}\n`
      );
      await whenWritable(io.stdout);
    }
    if (!values.json) {
      const order = [
        'posted',
        'would_post',
        'duplicate',
        'unmatched',
        'not_installed',
        'failed',
        'not_applicable',
      ];
      const parts = order
        .filter((o) => counts.has(o))
        .map((o) => `${counts.get(o)} ${o.replace('_', ' ')}`);
      io.stdout.write(
        `\n${jobs.length} failing job${jobs.length === 1 ? '' : 's'}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}\n`
      );
    }
    if (githubFailed) return EXIT.AWS;
    return unreadable > 0 ? EXIT.USAGE : EXIT.OK;
  } catch (e) {
    return reportError(e, io, 'annotate');
  }
};
