/**
 * IAM condition operators for the trust-policy case: the string family, `Null`, `Bool`, their
 * `…IfExists` forms and the `ForAnyValue:` / `ForAllValues:` set qualifiers.
 * {@link https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html | IAM condition operators}
 */
import { globMatches, literalValue } from './string-match.js';

/** Base operators oidcwatch evaluates. */
export const BASE_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'Bool',
  'Null',
] as const;

/** A base operator. */
export type BaseOperator = (typeof BASE_OPERATORS)[number];

/** An operator split into its parts. */
export interface ParsedOperator {
  readonly base: BaseOperator;
  readonly qualifier: 'ForAnyValue' | 'ForAllValues' | null;
  readonly ifExists: boolean;
  /** `true` for the `…Not…` operators: a missing key satisfies them, several values are AND'd. */
  readonly negated: boolean;
}

const BASE_BY_LOWER = new Map<string, BaseOperator>(
  BASE_OPERATORS.map((op) => [op.toLowerCase(), op])
);

/**
 * Splits an operator such as `ForAnyValue:StringLikeIfExists`. Returns `null` for operators
 * oidcwatch does not evaluate (numeric, date, IP, ARN, binary) or malformed ones.
 */
export function parseOperator(operator: string): ParsedOperator | null {
  let rest = operator.trim();
  let qualifier: ParsedOperator['qualifier'] = null;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const q = rest.slice(0, colon).toLowerCase();
    if (q === 'foranyvalue') qualifier = 'ForAnyValue';
    else if (q === 'forallvalues') qualifier = 'ForAllValues';
    else return null;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const base = BASE_BY_LOWER.get(rest.toLowerCase());
  if (base === undefined) return null;
  if (base === 'Null' && (ifExists || qualifier !== null)) return null;
  return { base, qualifier, ifExists, negated: base.includes('Not') };
}

/**
 * Does one request value satisfy one policy value under the positive form of `base`?
 * (`StringNotLike` asks `StringLike` and negates across all values.)
 */
export function valueMatches(
  base: BaseOperator,
  policyValue: string,
  requestValue: string,
  variables: boolean
): boolean {
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
      return literalValue(policyValue, variables) === requestValue;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return literalValue(policyValue, variables).toLowerCase() === requestValue.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
      return globMatches(policyValue, requestValue, variables);
    case 'Bool':
      return policyValue.toLowerCase() === requestValue.toLowerCase();
    case 'Null':
      return false;
  }
}

/**
 * Does one request value satisfy the clause (values of one key are OR'd for positive operators,
 * AND'd for negated ones)?
 */
export function singleValueSatisfies(
  op: ParsedOperator,
  policyValues: readonly string[],
  requestValue: string,
  variables: boolean
): boolean {
  const any = policyValues.some((p) => valueMatches(op.base, p, requestValue, variables));
  return op.negated ? !any : any;
}
