import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/handler/config.js';

describe('readConfig', () => {
  it('applies the documented defaults', () => {
    // Prepare
    const env = {};

    // Act
    const config = readConfig(env);

    // Assess
    expect(config).toEqual({
      namespace: 'OIDCWatch',
      readRoleName: null,
      homeAccount: null,
      owners: [],
      roleCacheTtlMs: 600_000,
      negativeCacheTtlMs: 120_000,
      accountCacheTtlMs: 900_000,
      dedupCapacity: 10_000,
      changeTableName: null,
      changeWindowMs: 86_400_000,
      changeTtlSeconds: 604_800,
      iamTimeoutMs: 2500,
      iamUnreachableMs: 30_000,
      logLevel: 'info',
      canaryIssuerHost: null,
    });
  });

  it('reads every variable', () => {
    // Prepare
    const env = {
      OIDCWATCH_NAMESPACE: 'Platform/OIDC',
      OIDCWATCH_READ_ROLE_NAME: 'oidcwatch-read',
      OIDCWATCH_HOME_ACCOUNT: '111122223333',
      OIDCWATCH_OWNERS: 'Acme-Corp, acme-labs',
      OIDCWATCH_ROLE_CACHE_TTL_SECONDS: '300',
      OIDCWATCH_NEGATIVE_CACHE_TTL_SECONDS: '30',
      OIDCWATCH_ACCOUNT_CACHE_TTL_SECONDS: '600',
      OIDCWATCH_DEDUP_CAPACITY: '500',
      LOG_LEVEL: 'DEBUG',
    };

    // Act
    const config = readConfig(env);

    // Assess
    expect(config).toMatchObject({
      namespace: 'Platform/OIDC',
      readRoleName: 'oidcwatch-read',
      homeAccount: '111122223333',
      owners: ['acme-corp', 'acme-labs'],
      roleCacheTtlMs: 300_000,
      negativeCacheTtlMs: 30_000,
      accountCacheTtlMs: 600_000,
      dedupCapacity: 500,
      logLevel: 'debug',
    });
  });

  it('reads the change table, its retention and the correlation window', () => {
    // Prepare
    const env = {
      OIDCWATCH_CHANGE_TABLE: 'oidcwatch-changes',
      OIDCWATCH_CHANGE_TTL_DAYS: '14',
      OIDCWATCH_CHANGE_WINDOW_MINUTES: '120',
    };

    // Act
    const config = readConfig(env);

    // Assess
    expect(config).toMatchObject({
      changeTableName: 'oidcwatch-changes',
      changeTtlSeconds: 14 * 86_400,
      changeWindowMs: 120 * 60_000,
    });
  });

  it.each([
    [
      { OIDCWATCH_ROLE_CACHE_TTL_SECONDS: 'ten' },
      'OIDCWATCH_ROLE_CACHE_TTL_SECONDS must be a whole number from 1 to 86400, got "ten"',
    ],
    [
      { OIDCWATCH_DEDUP_CAPACITY: '0' },
      'OIDCWATCH_DEDUP_CAPACITY must be a whole number from 1 to 1000000, got "0"',
    ],
    [
      { OIDCWATCH_HOME_ACCOUNT: '1111' },
      'OIDCWATCH_HOME_ACCOUNT must be a 12-digit account id, got "1111"',
    ],
    [
      { OIDCWATCH_READ_ROLE_NAME: 'bad name' },
      'OIDCWATCH_READ_ROLE_NAME must be an IAM role name ([\\w+=,.@-], 1–64 characters), got "bad name"',
    ],
    [
      { LOG_LEVEL: 'loud' },
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ],
    [
      { OIDCWATCH_CHANGE_TABLE: 'no spaces allowed' },
      'OIDCWATCH_CHANGE_TABLE must be a DynamoDB table name (3–255 of letters, digits and _ . -), got "no spaces allowed"',
    ],
    [
      { OIDCWATCH_CHANGE_TTL_DAYS: '1', OIDCWATCH_CHANGE_WINDOW_MINUTES: '2000' },
      'OIDCWATCH_CHANGE_WINDOW_MINUTES (2000) must not exceed OIDCWATCH_CHANGE_TTL_DAYS (1 days = 1440 minutes): older changes are gone',
    ],
  ])('rejects %o with a message naming the variable', (env, message) => {
    // Prepare
    const read = () => readConfig(env);

    // Act
    const attempt = read;

    // Assess
    expect(attempt).toThrowError(expect.objectContaining({ code: 'ERR_CONFIG_INVALID', message }));
  });
});
