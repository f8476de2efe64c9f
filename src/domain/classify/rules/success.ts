/** `SUCCESS`: the call succeeded (findings may still apply). */
import type { Rule } from '../rule.js';

/** Applies when the record carries no `errorCode`. */
export const success: Rule = ({ call }) =>
  call.errorCode !== null
    ? null
    : {
        cause: 'SUCCESS',
        detail: null,
        explanation: `STS admitted ${call.sub === null ? 'the call' : `sub "${call.sub}"`}${call.roleArn === null ? '' : ` for ${call.roleArn}`}.`,
        fix: null,
      };
