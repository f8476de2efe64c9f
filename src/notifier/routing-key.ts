/**
 * The PagerDuty routing key, read from Secrets Manager at run time (never from the environment or
 * the template) and cached for five minutes with Powertools Parameters, so a rotated key is picked
 * up without a redeploy and a burst of pages reads the secret once.
 * {@link https://docs.powertools.aws.dev/lambda/typescript/latest/features/parameters/ | Powertools Parameters}
 */

import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Reads the routing key; rejects when the secret cannot be read or holds no text. */
export type RoutingKeySource = () => Promise<string>;

/** How long a read key is reused, seconds. */
export const ROUTING_KEY_CACHE_SECONDS = 300;

/**
 * A routing key source for the secret `secretId` (name or ARN), its value the plain key or a JSON
 * object with a `routing_key` (or `routingKey`) field.
 *
 * @example
 * ```ts
 * const routingKey = secretRoutingKey(new SecretsManagerClient({}), 'oidcwatch/pagerduty');
 * await routingKey(); // 'R0UT…'
 * ```
 */
export function secretRoutingKey(client: SecretsManagerClient, secretId: string): RoutingKeySource {
  const provider = new SecretsProvider({ awsSdkV3Client: client });
  return async () => {
    const value = await provider.get(secretId, { maxAge: ROUTING_KEY_CACHE_SECONDS });
    if (typeof value !== 'string' || value.trim() === '')
      throw new Error(`secret ${secretId} holds no text routing key`);
    return keyFrom(value.trim(), secretId);
  };
}

function keyFrom(text: string, secretId: string): string {
  if (!text.startsWith('{')) return text;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const key = json.routing_key ?? json.routingKey;
    if (typeof key === 'string' && key.trim() !== '') return key.trim();
  } catch {
    // Reported below.
  }
  throw new Error(`secret ${secretId} is JSON without a "routing_key" field`);
}
