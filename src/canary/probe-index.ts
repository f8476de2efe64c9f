/**
 * The canary probe Lambda's composition root (on a schedule). Settings:
 * `OIDCWATCH_CANARY_KEY_SECRET` (the key's secret), `OIDCWATCH_CANARY_ISSUER` (the issuer URL),
 * `OIDCWATCH_CANARY_TARGETS` (JSON `[{ "roleArn": …, "region": … }]`).
 */
import { randomUUID } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { canaryClientConfig } from './client-config.js';
import { type ProbeTarget, probeRunner } from './probe.js';

function required(name: string): string {
  const v = process.env[name]?.trim();
  if (!v) throw new Error(`${name} must be set`);
  return v;
}

function targets(raw: string): ProbeTarget[] {
  const parsed: unknown = JSON.parse(raw);
  if (!Array.isArray(parsed)) throw new Error('OIDCWATCH_CANARY_TARGETS must be a JSON array');
  return parsed.map((t, i) => {
    const { roleArn, region } = (t ?? {}) as Record<string, unknown>;
    if (typeof roleArn !== 'string' || typeof region !== 'string')
      throw new Error(`OIDCWATCH_CANARY_TARGETS[${i}] needs "roleArn" and "region"`);
    return { roleArn, region };
  });
}

const run = probeRunner({
  secrets: new SecretsManagerClient(canaryClientConfig('secrets')),
  secretId: required('OIDCWATCH_CANARY_KEY_SECRET'),
  issuer: required('OIDCWATCH_CANARY_ISSUER').replace(/\/+$/, ''),
  targets: targets(required('OIDCWATCH_CANARY_TARGETS')),
  log: (msg, fields) =>
    process.stdout.write(`${JSON.stringify({ msg, time: new Date().toISOString(), ...fields })}\n`),
  now: Date.now,
  randomId: randomUUID,
});

/** The scheduled handler: one denied call per target. */
export const handler = () => run();
