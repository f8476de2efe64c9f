/**
 * Builds the page from an alarm notification and what is known about its window. Pure: the facts
 * are read elsewhere and passed in, and so is the dashboard link.
 */
import type { AlarmNotification } from './alarm-notification.js';
import { type ResultGroup, type WindowFacts, windowMinutes } from './facts.js';
import { PAGE_SCHEMA, type Page, type PageAlarm, type PageChange, type PageItem } from './page.js';
import { plural, roleName, snsSubject, toAscii, truncate } from './text.js';
import { oneLine, oneLineOrNull } from './untrusted-text.js';

/** Groups shown with their explanation and fix. */
export const SHOWN_GROUPS = 3;

/** Field lengths kept on the page (messages stay small whatever the classifier wrote). */
const MAX = {
  explanation: 600,
  fix: 400,
  change: 300,
  headline: 1000,
  name: 50,
  /** Record fields: repository, role ARN, account, cause, detail. */
  field: 200,
  note: 300,
  alarmText: 1000,
} as const;

/** What {@link buildPage} needs. */
export interface PageInput {
  readonly alarm: AlarmNotification;
  /** The window's facts; `null` for a recovery (nothing is read on OK). */
  readonly facts: WindowFacts | null;
  /** The oidcwatch dashboard. */
  readonly dashboardUrl: string | null;
}

/** The dedup key of an alarm's pages: one incident, one chat thread per alarm. */
export function dedupKey(alarm: Pick<AlarmNotification, 'alarmName' | 'alarmArn'>): string {
  return `oidcwatch/${alarm.alarmArn ?? alarm.alarmName}`;
}

/** The AWS console's first host label (kept apart so a grep for logging calls does not trip on the URL). */
const CONSOLE = 'console';

function alarmUrl(alarm: AlarmNotification): string | null {
  if (alarm.region === null) return null;
  const r = alarm.region;
  return `https://${r}.${CONSOLE}.aws.amazon.com/cloudwatch/home?region=${r}#alarmsV2:alarm/${encodeURIComponent(alarm.alarmName)}`;
}

function pageAlarm(alarm: AlarmNotification): PageAlarm {
  return {
    name: oneLine(alarm.alarmName, 255),
    description: oneLineOrNull(alarm.alarmDescription, MAX.alarmText),
    arn: alarm.alarmArn,
    account: alarm.account,
    region: alarm.region,
    state: alarm.newState,
    previousState: alarm.oldState,
    reason: oneLine(alarm.reason, MAX.alarmText),
    changedAt: alarm.stateChangeTime,
    url: alarmUrl(alarm),
  };
}

/**
 * A group as the page shows it. Every text field comes from a record or a result line, which any
 * member account can shape: each is put on one line (no forged lines, no terminal escapes, no
 * bidi tricks) and bounded here, for every page format; chat escaping comes on top.
 */
function item(g: ResultGroup): PageItem {
  const cut = (s: string | null, max: number) => oneLineOrNull(s, max);
  const roleArn = cut(g.roleArn, MAX.field);
  const cause = oneLine(g.cause, MAX.field);
  const detail = cut(g.detail, MAX.field);
  return {
    repository: cut(g.repository, MAX.field),
    roleArn,
    roleName: roleName(roleArn),
    account: cut(g.account, MAX.field),
    cause,
    detail,
    code: detail === null ? cause : `${cause}/${detail}`,
    failedCalls: g.failedCalls,
    failingJobs: g.failingJobs,
    explanation: cut(g.explanation, MAX.explanation),
    fix: cut(g.fix, MAX.fix),
    change: cut(g.change, MAX.change),
  };
}

/** Distinct change annotations, by the failed calls they explain. */
function changesOf(groups: readonly ResultGroup[]): PageChange[] {
  const calls = new Map<string, number>();
  for (const g of groups)
    if (g.change !== null) calls.set(g.change, (calls.get(g.change) ?? 0) + g.failedCalls);
  return [...calls]
    .map(([summary, failedCalls]) => ({ summary: oneLine(summary, MAX.change), failedCalls }))
    .sort((a, b) => b.failedCalls - a.failedCalls);
}

function sentence(s: string): string {
  const t = s.trim();
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

const where = (i: PageItem) => i.repository ?? 'calls without a repository';
const onRole = (i: PageItem) => (i.roleName === null ? '' : ` on role ${i.roleName}`);

/** Failed calls of the groups that share `key` with the top group. */
function sharedCalls(groups: readonly ResultGroup[], key: (g: ResultGroup) => string | null) {
  const first = groups[0];
  if (first === undefined || key(first) === null) return { calls: 0, repositories: 0 };
  const same = groups.filter((g) => key(g) === key(first));
  return {
    calls: same.reduce((n, g) => n + g.failedCalls, 0),
    repositories: new Set(same.map((g) => g.repository)).size,
  };
}

const codeOf = (g: ResultGroup) => (g.detail === null ? g.cause : `${g.cause}/${g.detail}`);

function failureHeadline(
  total: number,
  groups: readonly ResultGroup[],
  page: Omit<Page, 'headline' | 'subject'>
): string {
  const minutes = page.window?.minutes ?? 0;
  const jobs = page.totals?.failingJobs;
  const repos = page.totals?.repositories;
  const counts = [
    jobs === null || jobs === undefined ? null : plural(jobs, 'failing job'),
    repos === null || repos === undefined || repos < 2
      ? null
      : plural(repos, 'repository', 'repositories'),
  ].filter((s) => s !== null);
  const parts = [
    `${plural(total, 'failed role assumption')} in ${minutes} min${counts.length > 0 ? ` (${counts.join(', ')})` : ''}`,
  ];
  const top = page.top[0];
  const byCode = sharedCalls(groups, codeOf);
  if (top !== undefined) {
    if (top.failedCalls * 2 >= total)
      parts.push(`${top.failedCalls} from ${where(top)}${onRole(top)}: ${top.code}`);
    else if (byCode.repositories > 1 && byCode.calls * 2 >= total)
      parts.push(
        `${byCode.calls} are ${top.code} across ${plural(byCode.repositories, 'repository', 'repositories')}, most from ${where(top)} (${top.failedCalls}${onRole(top)})`
      );
    else parts.push(`most from ${where(top)} (${top.failedCalls}${onRole(top)}: ${top.code})`);
  }
  let headline = `${parts.join('; ')}.`;
  // The fix goes in the headline only when it is the answer for most of the failures.
  const fix = top?.fix?.trim();
  const fixShare = sharedCalls(groups, (g) => g.fix?.trim() ?? null).calls;
  const withFix = fix !== undefined && fix !== '' && fixShare * 2 >= total;
  // A fix is often a command: it keeps its own ending (no period added to a shell line).
  if (withFix) headline += ` Fix: ${fix}`;
  const change = page.changes[0];
  if (change !== undefined) {
    headline += `${withFix && !/[.!?]$/.test(fix) ? ' —' : ''} ${sentence(change.summary)}`;
    if (page.changes.length > 1) headline += ` (${plural(page.changes.length - 1, 'more change')})`;
  }
  return truncate(headline, MAX.headline);
}

function headlineOf(
  page: Omit<Page, 'headline' | 'subject'>,
  groups: readonly ResultGroup[]
): string {
  const name = page.alarm.name;
  if (page.kind === 'recovery') {
    const from = page.alarm.previousState === null ? '' : ` from ${page.alarm.previousState}`;
    return `${name} is back to OK${from}.`;
  }
  const minutes = page.window?.minutes ?? 0;
  const total = page.totals?.failedCalls ?? page.top.reduce((n, i) => n + i.failedCalls, 0);
  if (page.source === null)
    return `${name} is in ALARM; the failures of the last ${minutes} min could not be read (${page.notes[0] ?? 'no source answered'}). Open the dashboard.`;
  if (total === 0)
    return `${name} is in ALARM; no failed role assumption was logged in the ${minutes} min before it fired.`;
  return failureHeadline(total, groups, page);
}

/** The first candidate that fits a subject (shorter than 100 characters), else the last, cut. */
function firstFitting(candidates: readonly string[]): string {
  for (const c of candidates) if (snsSubject(c) === toAscii(c)) return snsSubject(c);
  return snsSubject(candidates[candidates.length - 1] ?? 'oidcwatch');
}

function subjectOf(page: Omit<Page, 'subject'>, groups: readonly ResultGroup[]): string {
  const name = truncate(page.alarm.name, MAX.name, '...');
  if (page.kind === 'recovery') return snsSubject(`OK ${name} recovered`);
  const minutes = page.window?.minutes ?? 0;
  const total = page.totals?.failedCalls ?? page.top.reduce((n, i) => n + i.failedCalls, 0);
  if (page.source === null) return snsSubject(`ALARM ${name}: no summary, see dashboard`);
  if (total === 0) return snsSubject(`ALARM ${name}: no OIDC failures logged in ${minutes} min`);
  const jobs = page.totals?.failingJobs;
  const head = `ALARM ${total} OIDC failures in ${minutes} min${jobs === null || jobs === undefined ? '' : ` (${jobs} jobs)`}`;
  const top = page.top[0];
  if (top === undefined) return snsSubject(head);
  const repos = page.totals?.repositories ?? new Set(groups.map((g) => g.repository)).size;
  const repository = top.repository ?? 'no repository';
  const byCode = sharedCalls(groups, codeOf);
  const who =
    top.failedCalls * 2 >= total
      ? repository
      : byCode.repositories > 1 && byCode.calls * 2 >= total
        ? `${byCode.repositories} repos`
        : `${repos} repos, top ${repository}`;
  const what = `${top.cause}${page.changes.length > 0 ? ' after a change' : ''}`;
  return firstFitting([`${head}: ${who} ${what}`, `${head}: ${what}`, head]);
}

/** Empty window: say what that can mean. */
const EMPTY_WINDOW_NOTE =
  'No failed call was logged in the window. For a failure alarm this means the result lines lag (look again in a minute) or the processor is failing: check the processor alarms and the dead-letter queue.';

function notesOf(facts: WindowFacts | null): string[] {
  if (facts === null) return ['the window was not read'];
  const notes = facts.problems.map((p) => oneLine(p, MAX.note));
  const empty = facts.source !== null && (facts.totals?.failedCalls ?? 0) === 0;
  if (empty && facts.groups.length === 0) notes.push(EMPTY_WINDOW_NOTE);
  return notes;
}

/**
 * The page for an alarm notification.
 *
 * @example
 * ```ts
 * const page = buildPage({ alarm, facts: await readFacts(alarmWindow(alarm, now)), dashboardUrl });
 * page.subject;  // 'ALARM 312 OIDC failures in 5 min (26 jobs): acme-corp/payments-api SUB_MISMATCH after a change'
 * page.headline; // '312 failed role assumptions in 5 min (26 failing jobs, 3 repositories); 290 from …'
 * ```
 */
export function buildPage(input: PageInput): Page {
  const { alarm, facts } = input;
  const kind = alarm.newState === 'OK' ? 'recovery' : 'alarm';
  const groups = kind === 'alarm' ? (facts?.groups ?? []) : [];
  const top = groups.slice(0, SHOWN_GROUPS).map(item);
  const shownCalls = top.reduce((n, i) => n + i.failedCalls, 0);
  const unshownRead = groups.slice(SHOWN_GROUPS).reduce((n, g) => n + g.failedCalls, 0);
  const totals = kind === 'alarm' ? (facts?.totals ?? null) : null;
  const restCalls = totals === null ? unshownRead : Math.max(0, totals.failedCalls - shownCalls);
  const restGroups = Math.max(0, groups.length - SHOWN_GROUPS);
  const window =
    kind === 'alarm' && facts !== null
      ? {
          start: new Date(facts.window.startMs).toISOString(),
          end: new Date(facts.window.endMs).toISOString(),
          minutes: windowMinutes(facts.window),
        }
      : null;
  const base: Omit<Page, 'headline' | 'subject'> = {
    schema: PAGE_SCHEMA,
    kind,
    dedupKey: dedupKey(alarm),
    alarm: pageAlarm(alarm),
    window,
    source: kind === 'alarm' ? (facts?.source ?? null) : null,
    totals,
    top,
    rest: restCalls > 0 || restGroups > 0 ? { groups: restGroups, failedCalls: restCalls } : null,
    changes: changesOf(groups),
    notes: kind === 'alarm' ? notesOf(facts) : [],
    dashboardUrl: input.dashboardUrl,
  };
  const withHeadline = { ...base, headline: headlineOf(base, groups) };
  return { ...withHeadline, subject: subjectOf(withHeadline, groups) };
}
