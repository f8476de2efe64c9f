/**
 * The last guard before anything doctor prints: the job's token and the request token never
 * reach stdout or stderr, whatever path the text took (a message, a stack trace).
 */
import { REDACTED, redactTokens } from '../../domain/input/redact-tokens.js';

/** Redacts the given secrets verbatim, then anything shaped like a JWT. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join(REDACTED);
  return redactTokens(out);
}
