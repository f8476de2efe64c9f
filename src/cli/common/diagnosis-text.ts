/**
 * The text form of results: one aligned line per record, then its explanation and fix, indented,
 * so a screenful reads at a glance. `--json` prints `diagnosisJson` instead. Every value from a
 * record is cleaned of control characters before it is styled, so data cannot drive the terminal.
 */
import { remedyDiff, verificationText } from '../../domain/remedy/remedy-text.js';
import type { Diagnosis } from '../../domain/types.js';
import { causeLabel, formatTime } from '../report/format.js';
import { sanitizeTerminalText as clean } from '../report/text-table.js';
import type { Style } from './style.js';

const CAUSE_WIDTH = 36;
/** Account (12) + space + the longest region name (14, `ap-southeast-1`) + a gap. */
const WHERE_WIDTH = 28;
const REPO_WIDTH = 28;
const INDENT = '    ';

function pad(s: string, width: number): string {
  return s.length >= width ? `${s} ` : s.padEnd(width);
}

/**
 * `s` cut to `width` characters with a middle ellipsis, so that the owner and the end of a long
 * repository name (or sub) both stay visible and the columns after it stay aligned.
 */
function fitWidth(s: string, width: number): string {
  const chars = [...s];
  if (chars.length <= width) return s;
  const head = Math.ceil((width - 1) / 2);
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (width - 1 - head)).join('')}`;
}

function roleName(arn: string | null): string {
  if (arn === null) return '(no role recorded)';
  const at = arn.indexOf(':role/');
  return clean(at >= 0 ? arn.slice(at + 1) : arn);
}

/** One result as text: a header line, then explanation, fix, findings and candidates. */
export function formatDiagnosisText(d: Diagnosis, style: Style, verbose = false): string {
  const label = causeLabel(d.cause, d.detail !== null && d.detail.length > 40 ? null : d.detail);
  const where = clean(`${d.account ?? '-'} ${d.region ?? '-'}`);
  const who = fitWidth(clean(d.repository ?? d.sub ?? '-'), REPO_WIDTH - 1);
  const lines = [
    `${pad(formatTime(d.eventTime), 21)}${pad(where, WHERE_WIDTH)}${pad(who, REPO_WIDTH)}` +
      `${style.cause(d.cause, pad(clean(label), CAUSE_WIDTH))}${style.dim(roleName(d.roleArn))}`,
  ];
  if (d.cause !== 'SUCCESS' || verbose) lines.push(`${INDENT}${clean(d.explanation)}`);
  if (d.fix !== null) lines.push(`${INDENT}${style.bold('fix:')} ${clean(d.fix)}`);
  if (d.remedy !== undefined && d.remedy !== null && d.cause !== 'SUCCESS') {
    const r = d.remedy;
    for (const line of remedyDiff(r)) {
      const text = clean(line);
      const styled = text.startsWith('+ ')
        ? style.green(text)
        : text.startsWith('- ')
          ? style.red(text)
          : style.dim(text);
      lines.push(`${INDENT}  ${styled}`);
    }
    lines.push(`${INDENT}${style.dim(`remedy: ${r.kind} · ${clean(verificationText(r))}`)}`);
    if (r.policy !== null && r.command !== null)
      lines.push(
        `${INDENT}${style.dim(`apply: ${clean(r.command)} (trust-policy.json: .remedy.policy of --json)`)}`
      );
  }
  for (const f of d.findings)
    lines.push(
      `${INDENT}${style.yellow('finding:')} ${f.code}${f.detail ? `/${f.detail}` : ''} ` +
        `${style.dim(`${roleName(f.roleArn)} ${clean(f.statement ?? '')}`)} ${clean(f.message)}`
    );
  for (const c of d.candidates.slice(0, verbose ? undefined : 3))
    lines.push(
      `${INDENT}${style.dim('candidate:')} ${roleName(c.roleArn)} ${c.cause}${c.detail ? `/${clean(c.detail)}` : ''}` +
        (c.sameRepository ? ' (names this repository)' : '')
    );
  if (verbose && d.trace !== null)
    for (const st of d.trace.statements)
      for (const c of st.conditions)
        lines.push(
          `${INDENT}${style.dim(clean(`  ${st.effect} ${st.sid ?? `#${st.index}`} ${c.operator} ${c.key} ${JSON.stringify(c.values)} tested ${JSON.stringify(c.tested)} → ${c.verdict}${c.note ? ` (${c.note})` : ''}`))}`
        );
  return `${lines.join('\n')}\n`;
}

/** The `--json` line of a result (the trace only on request: it is large). */
export function diagnosisJson(d: Diagnosis, withTrace = false): string {
  if (withTrace) return JSON.stringify(d);
  const remedy = d.remedy;
  if (remedy === undefined || remedy === null) return JSON.stringify({ ...d, trace: undefined });
  // A job's retries share one remedy object (the classify memo): serialise it once.
  const head = JSON.stringify({ ...d, trace: undefined, remedy: undefined });
  return `${head.slice(0, -1)},"remedy":${remedyJson(remedy)}}`;
}

const remedyTexts = new WeakMap<NonNullable<Diagnosis['remedy']>, string>();

function remedyJson(remedy: NonNullable<Diagnosis['remedy']>): string {
  let text = remedyTexts.get(remedy);
  if (text === undefined) {
    text = JSON.stringify(remedy);
    remedyTexts.set(remedy, text);
  }
  return text;
}
