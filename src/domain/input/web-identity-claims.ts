/**
 * Recovers `aud` from `userIdentity.principalId`, which CloudTrail writes as exactly
 * `identityProvider + ":" + aud + ":" + sub` (reference §1.2).
 */

/**
 * The audience inside a web-identity `principalId`. `aud` may itself contain `:`
 * (`https://github.com/acme-corp`), so it is what remains once the `provider + ":"` prefix and the
 * `":" + sub` suffix are stripped. Works for provider ARNs and for bare issuers alike.
 *
 * @param principalId - `userIdentity.principalId`
 * @param provider - `userIdentity.identityProvider` (ARN or bare issuer)
 * @param sub - `userIdentity.userName`
 * @returns the audience, or `null` when any part is missing or the principal id does not start
 *   and end as expected (nothing is guessed)
 *
 * @example
 * ```ts
 * audienceFromPrincipalId('p:https://github.com/acme:repo:a/b', 'p', 'repo:a/b');
 * // 'https://github.com/acme'
 * ```
 */
function audienceFromPrincipalId(
  principalId: string | null,
  provider: string | null,
  sub: string | null
): string | null {
  if (principalId === null || provider === null || sub === null) return null;
  const prefix = `${provider}:`;
  const suffix = `:${sub}`;
  if (principalId.length <= prefix.length + suffix.length) return null;
  if (!principalId.startsWith(prefix) || !principalId.endsWith(suffix)) return null;
  return principalId.slice(prefix.length, principalId.length - suffix.length);
}

export { audienceFromPrincipalId };
