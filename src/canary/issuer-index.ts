/**
 * The canary issuer Lambda's composition root (a function URL). Reads the public half of the
 * canary key from Secrets Manager (`OIDCWATCH_CANARY_KEY_SECRET`).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { canaryClientConfig } from './client-config.js';
import { issuerHandler } from './issuer.js';

const secretId = process.env.OIDCWATCH_CANARY_KEY_SECRET ?? '';
if (secretId === '') throw new Error('OIDCWATCH_CANARY_KEY_SECRET must be set');
const handle = issuerHandler({
  secrets: new SecretsManagerClient(canaryClientConfig('secrets')),
  secretId,
  now: Date.now,
});

/** The function URL handler: discovery document and JWKS. */
export const handler = (event: Parameters<typeof handle>[0]) => handle(event);
