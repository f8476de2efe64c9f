/** `EXPIRED_TOKEN`: STS found the web identity token expired (or too old). */
import { freshTokenAdvice } from '../../remedy/issuer-advice.js';
import { makeRemedy } from '../../remedy/make-remedy.js';
import type { Rule } from '../rule.js';

/** Applies to `ExpiredTokenException`. */
export const expiredToken: Rule = ({ call }) => {
  if (call.errorCode !== 'ExpiredTokenException') return null;
  const kind = call.issuer?.kind ?? null;
  const remedy = makeRemedy('none', `Nothing to change in AWS. ${freshTokenAdvice(kind)}`);
  return {
    cause: 'EXPIRED_TOKEN',
    detail: null,
    explanation: `STS rejected the token as expired${call.errorMessage ? ` ("${call.errorMessage}")` : ''}.${kind === 'github' ? " GitHub's OIDC tokens live 5 minutes; a long retry loop or a token fetched early can outlive them." : ''}`,
    fix: remedy.summary,
    remedy,
  };
};
