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

/**
 * An ARN (or any long identifier) escaped, with a break opportunity after each `/` and `:`, so it
 * wraps at its separators instead of a character per line.
 *
 * @example
 * ```ts
 * breakableArn('arn:aws:iam::111122223333:role/deploy');
 * // 'arn:<wbr>aws:<wbr>iam:<wbr>:<wbr>111122223333:<wbr>role/<wbr>deploy'
 * ```
 */
export function breakableArn(value: string): string {
  return escapeHtml(value).replace(/([/:])/g, '$1<wbr>');
}

/**
 * Prose escaped, with break opportunities after `/`, `:`, `,`, `=` and `@` inside long tokens
 * (subjects, ARNs, condition keys), so a paragraph wraps on a phone without breaking words
 * elsewhere.
 */
export function escapeProse(text: string): string {
  return escapeHtml(text).replace(/\S{20,}/g, (token) => token.replace(/([/:,=@])/g, '$1<wbr>'));
}
