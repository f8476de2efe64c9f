/** Reading STS error messages (never for `AccessDenied`, whose CloudTrail text says nothing). */
import type { OidcCall } from '../../types.js';

/** `true` when the call failed with `code` and its message contains every fragment (any case). */
export function failedWith(call: OidcCall, code: string, ...fragments: string[]): boolean {
  if (call.errorCode !== code) return false;
  const message = (call.errorMessage ?? '').toLowerCase();
  return fragments.every((f) => message.includes(f.toLowerCase()));
}

/** The provider URL of the call, for messages and commands. */
export function issuerUrl(call: OidcCall): string {
  return call.issuer?.url ?? 'token.actions.githubusercontent.com';
}
