/**
 * Aligned plain-text tables for terminals, with optional ANSI styling that does not disturb the
 * alignment (cells are padded before they are styled).
 */

/** A column: its heading and alignment. */
export interface TextColumn {
  readonly heading: string;
  readonly align?: 'left' | 'right';
}

/** How a cell is styled on a colour terminal. */
export type CellStyle = 'plain' | 'bold' | 'dim' | 'red' | 'yellow';

/** A cell: text, or text with a style. */
export type TextCell = string | { readonly text: string; readonly style: CellStyle };

const ANSI: Readonly<Record<CellStyle, readonly [string, string]>> = {
  plain: ['', ''],
  bold: ['\x1b[1m', '\x1b[22m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  red: ['\x1b[31m', '\x1b[39m'],
  yellow: ['\x1b[33m', '\x1b[39m'],
};

/**
 * Replaces control characters (ANSI escapes included) so text from the data cannot drive the
 * terminal or break the layout.
 */
export function sanitizeTerminalText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
}

/** Styles `text` when `color` is on. */
export function styled(text: string, style: CellStyle, color: boolean): string {
  const [open, close] = ANSI[style];
  return color && open !== '' ? `${open}${text}${close}` : text;
}

/** Renders rows under bold headings, columns separated by two spaces, no trailing blanks. */
export function renderTable(
  columns: readonly TextColumn[],
  rows: readonly (readonly TextCell[])[],
  color: boolean
): string {
  const cells = rows.map((row) =>
    columns.map((_, i) => {
      const cell = row[i] ?? '';
      return typeof cell === 'string'
        ? { text: sanitizeTerminalText(cell), style: 'plain' as CellStyle }
        : { text: sanitizeTerminalText(cell.text), style: cell.style };
    })
  );
  const widths = columns.map((c, i) =>
    Math.max(c.heading.length, ...cells.map((row) => row[i]?.text.length ?? 0))
  );
  const line = (parts: readonly { text: string; style: CellStyle }[]): string =>
    parts
      .map((p, i) => {
        const width = widths[i] ?? 0;
        const last = i === parts.length - 1;
        const padded =
          columns[i]?.align === 'right'
            ? p.text.padStart(width)
            : last
              ? p.text
              : p.text.padEnd(width);
        return styled(padded, p.style, color);
      })
      .join('  ')
      .trimEnd();
  const header = line(columns.map((c) => ({ text: c.heading, style: 'bold' as CellStyle })));
  return [header, ...cells.map(line)].map((l) => `${l}\n`).join('');
}

/** Wraps `text` at word boundaries to `width` columns, each line prefixed with `indent`. */
export function wrap(text: string, width: number, indent: string): string[] {
  const words = sanitizeTerminalText(text).split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    if (current.length > 0 && indent.length + current.length + 1 + word.length > width) {
      lines.push(indent + current);
      current = word;
    } else {
      current = current.length > 0 ? `${current} ${word}` : word;
    }
  }
  if (current.length > 0) {
    lines.push(indent + current);
  }
  return lines;
}
