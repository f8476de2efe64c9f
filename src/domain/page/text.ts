/**
 * Small text helpers of the page: truncation, plurals, role names, times, and the ASCII form SNS
 * subjects and mobile notifications need.
 */

/** `s` cut to at most `max` characters, on a word boundary when one is near, with `…`. */
export function truncate(s: string, max: number, ellipsis = '…'): string {
  if (s.length <= max) return s;
  const room = max - ellipsis.length;
  const cut = s.slice(0, room);
  const space = cut.lastIndexOf(' ');
  return `${(space > room * 0.6 ? cut.slice(0, space) : cut).trimEnd()}${ellipsis}`;
}

/** `1 failing job`, `26 failing jobs`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The role name of a role ARN (`payments-deploy`), or the input when it is not one. */
export function roleName(roleArn: string | null): string | null {
  if (roleArn === null) return null;
  const i = roleArn.indexOf(':role/');
  if (i < 0) return roleArn;
  const path = roleArn.slice(i + ':role/'.length);
  return path.slice(path.lastIndexOf('/') + 1) || roleArn;
}

/** `10:15` (UTC) of an epoch time. */
export function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

/** `2026-11-27 14:05:07 UTC` of an ISO time, or `null`. */
export function utc(iso: string | null): string | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms)
    ? `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`
    : null;
}

const ASCII_FOR: Readonly<Record<string, string>> = {
  '—': '-',
  '–': '-',
  '…': '...',
  '×': 'x',
  '→': '->',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '≤': '<=',
  '≥': '>=',
};

/**
 * Printable ASCII of `s`: typographic characters mapped, accents dropped, anything else `?`, line
 * breaks and control characters collapsed to one space.
 */
export function toAscii(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFKD')) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x20 && code < 0x7f) out += ch;
    else if (ASCII_FOR[ch] !== undefined) out += ASCII_FOR[ch];
    else if (code >= 0x300 && code <= 0x36f)
      continue; // combining accents
    else if (code < 0x20 || code === 0x7f || /\s/u.test(ch)) out += ' ';
    else out += '?';
  }
  return out.replace(/\s+/g, ' ').trim();
}

/**
 * An SNS subject: printable ASCII (some e-mail clients and older SNS validation reject anything
 * else), no line breaks, shorter than 100 characters, starting with a letter, digit or punctuation.
 */
export function snsSubject(s: string, max = 99): string {
  const ascii = toAscii(s);
  return truncate(ascii === '' ? 'oidcwatch' : ascii, max, '...');
}
