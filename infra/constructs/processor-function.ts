import { Arn, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE } from '../../src/domain/metric-names.js';
import { DEFAULT_PROCESSOR_ROLE_NAME, DEFAULT_READ_ROLE_NAME } from '../defaults.js';
import {
  acknowledgeIamTrustReadWildcards,
  iamTrustReadStatements,
  nagName,
} from '../lib/iam-trust-read.js';
import { esmBundling, PROJECT_ROOT } from '../lib/lambda-bundling.js';
import type { ChangeTable } from './change-table.js';

/** IAM cache lifetimes of the processor (see `src/handler/config.ts`). */
export interface ProcessorCacheProps {
  /** @default Duration.minutes(10) */
  readonly roleTtl?: Duration;
  /** @default Duration.minutes(2) */
  readonly negativeTtl?: Duration;
  /** @default Duration.minutes(15) */
  readonly accountTtl?: Duration;
}

/** Properties of {@link ProcessorFunction}. */
export interface ProcessorFunctionProps {
  /**
   * CloudWatch namespace of the EMF metrics.
   *
   * @default 'OIDCWatch'
   */
  readonly namespace?: string;
  /**
   * Name of the read role assumed in member accounts.
   *
   * @default 'oidcwatch-read'
   */
  readonly readRoleName?: string;
  /**
   * Name of the execution role (the read roles trust it by ARN, so it is fixed).
   *
   * @default 'oidcwatch-processor'
   */
  readonly roleName?: string;
  /**
   * Name of the function (its log group is `/aws/lambda/<name>`).
   *
   * @default 'oidcwatch-processor'
   */
  readonly functionName?: string;
  /**
   * GitHub owners the roles are meant for (the `FOREIGN_OWNER` finding).
   *
   * @default [] (inferred per account)
   */
  readonly owners?: readonly string[];
  /**
   * Reserved concurrency. Not needed to cap the IAM read fan-out (the intake queue's event source
   * does that with its maximum concurrency) and it fails to deploy where the account's quota
   * cannot spare it (Lambda keeps part of the quota unreserved): set it only to guarantee capacity.
   *
   * @default none
   */
  readonly reservedConcurrency?: number;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the log group when the stack is deleted.
   *
   * @default RemovalPolicy.DESTROY (a re-deploy would otherwise collide with the kept group's name)
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** @default 'info' */
  readonly logLevel?: string;
  /** @default the processor's defaults */
  readonly cache?: ProcessorCacheProps;
  /**
   * The handler source.
   *
   * @default `src/handler/index.ts`
   */
  readonly entry?: string;
}

/**
 * The processor Lambda: `nodejs24.x` on arm64, bundled locally by the esbuild devDependency as
 * minified ESM with a source map and the SDK inside the bundle (no Docker), its own log group with
 * a retention; it reads the intake queue ({@link ProcessorFunction.consume}). Permissions are granted by the
 * intent-named methods, so the stack never writes raw IAM statements for it.
 *
 * @example
 * ```ts
 * const processor = new ProcessorFunction(this, 'Processor', {});
 * processor.consume(intake.queue, 5);
 * processor.grantReadIamTrust();
 * processor.grantAssumeReadRole(['111122223333']);
 * ```
 */
export class ProcessorFunction extends Construct {
  /** The function. */
  readonly function: nodejs.NodejsFunction;
  /** Its execution role. */
  readonly role: iam.Role;
  /** Its log group (the Contributor Insights rules and the saved queries read it). */
  readonly logGroup: logs.LogGroup;
  /** The read role name it assumes in member accounts. */
  readonly readRoleName: string;

  constructor(scope: Construct, id: string, props: ProcessorFunctionProps) {
    super(scope, id);
    this.readRoleName = props.readRoleName ?? DEFAULT_READ_ROLE_NAME;
    const functionName = props.functionName ?? DEFAULT_PROCESSOR_ROLE_NAME;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });

    // An explicit role with an inline log policy instead of AWSLambdaBasicExecutionRole: the
    // managed policy allows writing to every log group in the account.
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName ?? DEFAULT_PROCESSOR_ROLE_NAME,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'oidcwatch processor: reads IAM trust policies and OIDC providers',
    });
    this.logGroup.grantWrite(this.role);

    const cache = props.cache ?? {};
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      functionName,
      description: 'oidcwatch: diagnoses failed GitHub Actions to AWS OIDC role assumptions',
      entry: props.entry ?? `${PROJECT_ROOT}src/handler/index.ts`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      reservedConcurrentExecutions: props.reservedConcurrency,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        OIDCWATCH_NAMESPACE: props.namespace ?? DEFAULT_NAMESPACE,
        OIDCWATCH_READ_ROLE_NAME: this.readRoleName,
        OIDCWATCH_HOME_ACCOUNT: Stack.of(this).account,
        OIDCWATCH_OWNERS: (props.owners ?? []).join(','),
        OIDCWATCH_ROLE_CACHE_TTL_SECONDS: `${(cache.roleTtl ?? Duration.minutes(10)).toSeconds()}`,
        OIDCWATCH_NEGATIVE_CACHE_TTL_SECONDS: `${(cache.negativeTtl ?? Duration.minutes(2)).toSeconds()}`,
        OIDCWATCH_ACCOUNT_CACHE_TTL_SECONDS: `${(cache.accountTtl ?? Duration.minutes(15)).toSeconds()}`,
        OIDCWATCH_DEDUP_CAPACITY: '10000',
        LOG_LEVEL: props.logLevel ?? 'info',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: esmBundling({ requireShim: true }),
    });
    // The CDK adds an explicit DependsOn on the role next to the Fn::GetAtt of its ARN (so the
    // role's policies exist before the function); cfn-lint flags the redundancy (W3005). Ignored
    // for this one resource only.
    (this.function.node.defaultChild as lambda.CfnFunction).addMetadata('cfn-lint', {
      config: { ignore_checks: ['W3005'] },
    });
  }

  /**
   * Lets the processor read trust policies and OIDC providers in its own account: `GetRole` and
   * `GetOpenIDConnectProvider` on this account's roles and providers only; the two list calls
   * have no resource-level scoping in IAM, so they need `*`.
   */
  grantReadIamTrust(): void {
    const policy = new iam.Policy(this, 'ReadIamTrustPolicy', {
      statements: iamTrustReadStatements(this),
    });
    this.role.attachInlinePolicy(policy);
    // The function must not run (and cache "access denied" as enrichment failures) before it can read.
    this.function.node.addDependency(policy);
    acknowledgeIamTrustReadWildcards(policy);
  }

  /**
   * Lets the processor assume the read role in member accounts: the listed accounts' read roles,
   * or, with an organisation and no list, the read role name in any account of that organisation
   * (`aws:ResourceOrgID`, the organisation of the role being assumed). With neither, no grant: the
   * processor reads its own account only.
   */
  grantAssumeReadRole(scope: { accounts: readonly string[]; organizationId?: string }): void {
    const stack = Stack.of(this);
    const { accounts, organizationId } = scope;
    if (accounts.length === 0 && organizationId === undefined) return;
    const roleIn = (account: string) =>
      Arn.format(
        { service: 'iam', region: '', account, resource: 'role', resourceName: this.readRoleName },
        stack
      );
    const policy = new iam.Policy(this, 'AssumeReadRolePolicy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'AssumeReadRoleInMemberAccounts',
          actions: ['sts:AssumeRole'],
          resources: accounts.length > 0 ? accounts.map(roleIn) : [roleIn('*')],
          ...(accounts.length > 0
            ? {}
            : { conditions: { StringEquals: { 'aws:ResourceOrgID': organizationId } } }),
        }),
      ],
    });
    this.role.attachInlinePolicy(policy);
    this.function.node.addDependency(policy);
    if (accounts.length === 0)
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:${nagName(stack.partition, 'Partition')}:iam::*:role/${this.readRoleName}]`,
        reason:
          'No member accounts were listed: the processor may assume the read role (one fixed name) in accounts of the organisation only (aws:ResourceOrgID). Each read role trusts only this processor role, so the wildcard grants nothing a member account has not opted into.',
      });
  }

  /**
   * Lets the processor record IAM configuration changes in `changes` and read them back to
   * correlate failures: the table's name and retention in its environment, `dynamodb:PutItem` and
   * `dynamodb:Query` on that table only.
   */
  recordChangesIn(changes: ChangeTable): void {
    this.function.addEnvironment('OIDCWATCH_CHANGE_TABLE', changes.table.tableName);
    this.function.addEnvironment(
      'OIDCWATCH_CHANGE_TTL_DAYS',
      `${Math.max(1, Math.round(changes.retention.toHours() / 24))}`
    );
    changes.grantRecordAndQuery(this.role);
  }

  /**
   * Makes the processor read `queue` (the intake queue): an SQS event source with partial batch
   * failure reporting and a maximum concurrency, which caps the instances (and the IAM reads of
   * cold caches) without reserving concurrency.
   *
   * @param maxConcurrency - instances at most (2–1000)
   */
  consume(queue: sqs.IQueue, maxConcurrency: number): void {
    this.function.addEventSource(
      new SqsEventSource(queue, {
        batchSize: 10,
        maxConcurrency,
        reportBatchItemFailures: true,
      })
    );
  }
}
