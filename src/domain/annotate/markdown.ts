/**
 * Markdown building blocks for what GitHub renders (check run output, comments): values from the
 * record (branch names, subjects, policy values) can hold any character, so they are put in code
 * spans and fences that they cannot close, and prose is escaped outside its own code spans.
 */

function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    if (current > longest) longest = current;
  }
  return longest;
}

/** `value` as an inline code span it cannot break out of. */
export function code(value: string): string {
  const fence = '`'.repeat(longestRun(value, '`') + 1);
  const pad = value.startsWith('`') || value.endsWith('`') || value === '' ? ' ' : '';
  return `${fence}${pad}${value.replace(/\r?\n/g, ' ')}${pad}${fence}`;
}

/** A fenced block of `lines` in language `lang`, with a fence longer than any backtick run. */
export function fenced(lang: string, body: string): string {
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return `${fence}${lang}\n${body}\n${fence}`;
}

const SPECIAL = /([\\*_[\]<>|~])/g;

/**
 * Prose as Markdown text: characters with a meaning in Markdown (or HTML) are escaped, except
 * inside the text's own `code spans`, which stay code.
 */
export function prose(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(SPECIAL, '\\$1')))
    .join('')
    .replace(/^(\s*)([#+-]|\d+\.)(?=\s)/gm, '$1\\$2');
}

/** A link, or the plain label when there is no URL. */
export function link(label: string, url: string | null | undefined): string {
  const text = prose(label);
  return url && /^https?:\/\//.test(url)
    ? `[${text}](${url.replace(/[()\s]/g, encodeURIComponent)})`
    : text;
}

/** `text` cut to `max` characters with a note saying so. */
export function cap(text: string, max: number, note: string): string {
  if (text.length <= max) return text;
  const tail = `\n\n… ${note}`;
  return `${text.slice(0, max - tail.length)}${tail}`;
}

/** `text` cut to `max` characters, ending in `…` when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
