/**
 * The shape of a cause rule: a pure function of the context that either names the cause or
 * passes (`null`) to the next rule.
 */
import type { Cause } from '../causes.js';
import type { PolicyReadResult } from '../policy/parse-policy.js';
import type { Remedy } from '../remedy/remedy-types.js';
import type {
  Candidate,
  EvaluationTrace,
  IamView,
  OidcCall,
  OidcProviderInfo,
  RoleInfo,
} from '../types.js';

/** What a rule concludes. */
export interface Verdict {
  readonly cause: Cause;
  readonly detail: string | null;
  /** Plain words: what was expected and what was got. */
  readonly explanation: string;
  /**
   * The smallest concrete change that fixes it; `null` when there is nothing to change. A rule
   * that gives a `remedy` gives its `summary` here.
   */
  readonly fix: string | null;
  /** The fix as data (see `remedy/`); `fix` is its summary. */
  readonly remedy?: Remedy | null;
  readonly trace?: EvaluationTrace | null;
  readonly candidates?: readonly Candidate[];
}

/** Everything a rule may look at. Built once per record. */
export interface RuleContext {
  readonly call: OidcCall;
  readonly iam: IamView;
  /** The role named by the record with its policy read, when IAM was read and the role exists. */
  readonly role: { readonly info: RoleInfo; readonly policy: PolicyReadResult } | null;
  /** The account's provider for the call's issuer, when IAM was read and it exists. */
  readonly provider: OidcProviderInfo | null;
}

/** A cause rule. */
export type Rule = (ctx: RuleContext) => Verdict | null;
