/**
 * Reads the policy document an IAM configuration event carries. CloudTrail records the request's
 * `policyDocument` / `assumeRolePolicyDocument` as the JSON text the caller sent, and
 * `CreateRole`'s `responseElements.role.assumeRolePolicyDocument` URL-encoded, as `GetRole`
 * returns it; test fixtures and other tools also pass the parsed object. All three are accepted.
 */

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed)) return parsed;
    // A JSON string holding the document's text (double-encoded by some exporters).
    return typeof parsed === 'string' ? parseJsonObject(parsed) : null;
  } catch {
    return null;
  }
}

/**
 * The policy document of an event field as an object; the text itself when it is not readable
 * JSON (the evaluator then reports it unreadable); `null` when the field is absent or empty.
 *
 * @example
 * ```ts
 * policyDocumentOf('%7B%22Version%22%3A%222012-10-17%22%7D'); // { Version: '2012-10-17' }
 * policyDocumentOf(undefined);                                 // null
 * ```
 */
export function policyDocumentOf(value: unknown): unknown | null {
  if (isObject(value)) return value;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = value.trim();
  const direct = parseJsonObject(text);
  if (direct !== null) return direct;
  if (text.includes('%')) {
    try {
      const decoded = parseJsonObject(decodeURIComponent(text));
      if (decoded !== null) return decoded;
    } catch {
      // not URL-encoded after all
    }
  }
  return text;
}
