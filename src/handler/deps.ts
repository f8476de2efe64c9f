/**
 * Builds the processor's dependencies from its configuration. The Lambda's `index.ts` calls it once
 * at init; tests call it with their own destinations and endpoints.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { STSClient } from '@aws-sdk/client-sts';
import type { DestinationStream } from 'pino';
import { boundedRequestHandler } from '../adapters/aws-client-config.js';
import { DynamoDbChangeStore } from '../adapters/changes/dynamodb-change-store.js';
import { MemoryChangeStore } from '../adapters/changes/memory-change-store.js';
import { AccountClients, AssumedRoleCredentials } from '../adapters/iam/account-clients.js';
import { IamApiReader } from '../adapters/iam/iam-api-reader.js';
import { UnreachableMemory } from '../adapters/iam/unreachable-memory.js';
import { createLogger } from '../adapters/log/result-logger.js';
import { EmfResultMetrics, type ResultMetrics } from '../adapters/metrics/emf-result-metrics.js';
import { AccountBudgetReader } from './account-budget.js';
import type { ProcessorConfig } from './config.js';
import type { ChangeTracking } from './process-change.js';
import type { ProcessorDeps } from './process-event.js';
import { SeenEvents } from './seen-events.js';

/** SDK settings shared by the IAM and STS clients. */
export interface SharedClientConfig {
  readonly region: string;
  readonly maxAttempts?: number;
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Connection and request timeouts, ms. */
  readonly requestHandler?: {
    readonly connectionTimeout: number;
    readonly requestTimeout: number;
    /** Without it the SDK only warns when a request times out, and waits on. */
    readonly throwOnRequestTimeout: boolean;
  };
}

/** Attempts of every IAM and STS call: one retry, so a hung endpoint costs two timeouts at most. */
const MAX_ATTEMPTS = 2;

/** Overrides for tests and benchmarks. */
export interface DepsOverrides {
  /**
   * SDK client config shared by IAM and STS clients (where to connect, who to be); the processor's
   * timeouts and retries apply unless it sets its own.
   */
  readonly clientConfig?: SharedClientConfig;
  readonly logDestination?: DestinationStream;
  readonly metrics?: ResultMetrics;
  readonly now?: () => number;
  /** The DynamoDB client of the change table (tests). @default one built from `clientConfig` */
  readonly dynamoDb?: DynamoDBClient;
}

/** The processor's dependencies, plus the parts tests inspect. */
export interface BuiltDeps extends ProcessorDeps {
  readonly changes: ChangeTracking;
  readonly accounts: AccountClients;
  readonly iam: IamApiReader;
  readonly credentials: AssumedRoleCredentials | null;
}

/** Builds the processor's dependencies. Every AWS client honours `AWS_ENDPOINT_URL`. */
export function buildDeps(
  config: ProcessorConfig,
  env: Readonly<Record<string, string | undefined>>,
  overrides: DepsOverrides = {}
): BuiltDeps {
  const clientConfig = {
    region: env.AWS_REGION ?? 'us-east-1',
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: boundedRequestHandler(config.iamTimeoutMs, Math.min(1000, config.iamTimeoutMs)),
    ...overrides.clientConfig,
  };
  const credentials =
    config.readRoleName === null
      ? null
      : new AssumedRoleCredentials({
          sts: new STSClient({ ...clientConfig }),
          roleName: config.readRoleName,
          ...(overrides.now ? { now: overrides.now } : {}),
        });
  const accounts = new AccountClients({
    clientConfig,
    homeAccount: config.homeAccount,
    credentials,
  });
  const iam = new IamApiReader({
    clientFor: (account) => accounts.clientFor(account),
    unreachable: new UnreachableMemory({
      forMs: config.iamUnreachableMs,
      ...(overrides.now ? { now: overrides.now } : {}),
    }),
    cache: {
      roleTtlMs: config.roleCacheTtlMs,
      negativeTtlMs: config.negativeCacheTtlMs,
      accountTtlMs: config.accountCacheTtlMs,
    },
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  const changeStore =
    config.changeTableName === null
      ? new MemoryChangeStore({
          retentionMs: config.changeTtlSeconds * 1000,
          ...(overrides.now ? { now: overrides.now } : {}),
        })
      : new DynamoDbChangeStore({
          client: overrides.dynamoDb ?? new DynamoDBClient({ ...clientConfig }),
          tableName: config.changeTableName,
          ttlSeconds: config.changeTtlSeconds,
          ...(overrides.now ? { now: overrides.now } : {}),
        });
  return {
    reader: new AccountBudgetReader({
      inner: iam,
      cache: iam,
      ...(overrides.now ? { now: overrides.now } : {}),
    }),
    iam,
    accounts,
    credentials,
    changes: {
      store: changeStore,
      cache: iam,
      windowMs: config.changeWindowMs,
      applied: new SeenEvents(1000),
    },
    logger: createLogger(config.logLevel, overrides.logDestination),
    metrics: overrides.metrics ?? new EmfResultMetrics({ namespace: config.namespace }),
    seen: new SeenEvents(config.dedupCapacity),
    owners: config.owners,
    canaryIssuerHost: config.canaryIssuerHost,
    ...(overrides.now ? { now: overrides.now } : {}),
  };
}
