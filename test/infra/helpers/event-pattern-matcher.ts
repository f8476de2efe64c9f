/**
 * A small EventBridge pattern matcher for the operators our patterns use (literal lists, `exists`,
 * `prefix`, `suffix`, `anything-but`), following the EventBridge rules: every pattern field must
 * match; a list matches when any element matches the value (or any value of an array); `exists`
 * applies to leaves only. Enough to test real-shaped envelopes against the rules offline.
 */

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function matchesOne(rule: Json, value: Json): boolean {
  if (!isObject(rule)) return rule === value;
  if ('prefix' in rule) return typeof value === 'string' && value.startsWith(String(rule.prefix));
  if ('suffix' in rule) return typeof value === 'string' && value.endsWith(String(rule.suffix));
  if ('anything-but' in rule) {
    const excluded = rule['anything-but'];
    return Array.isArray(excluded) ? !excluded.includes(value) : excluded !== value;
  }
  throw new Error(`unsupported pattern operator ${JSON.stringify(rule)}`);
}

function matchesLeaf(rules: readonly Json[], present: boolean, value: Json): boolean {
  const exists = rules.find((r) => isObject(r) && 'exists' in r) as { exists: boolean } | undefined;
  if (exists !== undefined) return exists.exists === (present && !isObject(value));
  if (!present) return false;
  const values = Array.isArray(value) ? value : [value];
  return rules.some((r) => values.some((v) => matchesOne(r, v)));
}

/** `true` when `event` matches `pattern`. */
export function matchesEventPattern(pattern: Json, event: Json): boolean {
  if (!isObject(pattern)) throw new Error('a pattern is an object');
  if (!isObject(event)) return false;
  return Object.entries(pattern).every(([key, rule]) => {
    const present = key in event && event[key] !== undefined;
    if (Array.isArray(rule)) return matchesLeaf(rule, present, event[key]);
    return present && matchesEventPattern(rule, event[key]);
  });
}
