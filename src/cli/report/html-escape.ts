/**
 * Escaping for text from the data (repository names, fixes, explanations) placed in HTML or SVG.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes `&`, `<`, `>`, `"` and `'`: safe in element content and in quoted attribute values.
 *
 * @example
 * ```ts
 * `<td title="${escapeHtml(name)}">${escapeHtml(name)}</td>`;
 * ```
 */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
