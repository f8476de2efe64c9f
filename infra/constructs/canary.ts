import { Arn, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE, DIMENSION, METRIC } from '../../src/domain/metric-names.js';
import { esmBundling, PROJECT_ROOT } from '../lib/lambda-bundling.js';
import { CANARY_ROLE_NAME } from './canary-role.js';

/** One monitored account and Region the canary probes. */
export interface CanaryTarget {
  readonly account: string;
  readonly region: string;
}

/** Properties of {@link Canary}. */
export interface CanaryProps {
  /** The accounts and Regions to probe (each account has the canary role). */
  readonly targets: readonly CanaryTarget[];
  /** The topic the heartbeat alarms page. */
  readonly topic: sns.ITopic;
  /** @default Duration.minutes(10) */
  readonly interval?: Duration;
  /**
   * Intervals in a row without a heartbeat before it pages (the bound: interval × this).
   *
   * @default 3
   */
  readonly missedIntervals?: number;
  /** @default DEFAULT_NAMESPACE */
  readonly namespace?: string;
  /** @default 'oidcwatch' */
  readonly namePrefix?: string;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

const BUNDLING = esmBundling();

/**
 * The dead man's switch: a canary issuer (a function URL serving the OpenID discovery document
 * and the JWKS of a key kept in Secrets Manager), a probe that makes one denied
 * `AssumeRoleWithWebIdentity` call per monitored account and Region on a schedule, and one alarm
 * per target on the `CanaryHeartbeat` the processor counts when the denial comes through
 * CloudTrail → rule → processor. Missing data is breaching: silence pages.
 *
 * @example
 * ```ts
 * new Canary(this, 'Canary', { targets: [{ account: '111122223333', region: 'eu-west-1' }], topic });
 * ```
 */
export class Canary extends Construct {
  /** The key's secret (only the probe writes it, only the canary functions read it). */
  readonly keySecret: secretsmanager.Secret;
  /** Serves discovery and the JWKS. */
  readonly issuer: nodejs.NodejsFunction;
  /** Its function URL. */
  readonly issuerUrl: lambda.FunctionUrl;
  /** The issuer's host (`<id>.lambda-url.<region>.on.aws`). */
  readonly issuerHost: string;
  /** Makes the denied calls. */
  readonly probe: nodejs.NodejsFunction;
  /** One heartbeat alarm per target. */
  readonly heartbeatAlarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: CanaryProps) {
    super(scope, id);
    const prefix = props.namePrefix ?? 'oidcwatch';
    const interval = props.interval ?? Duration.minutes(10);
    const missed = props.missedIntervals ?? 3;
    const stack = Stack.of(this);

    // A random placeholder: the probe replaces it with the key pair it makes on its first run.
    this.keySecret = new secretsmanager.Secret(this, 'Key', {
      description:
        'oidcwatch canary signing key (private JWK); written by the probe, read by the canary functions only',
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.keySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The canary key signs only tokens for a role that can never be assumed (explicit Deny in its trust policy, no permissions): a leaked key grants nothing. Rotating it would make STS reject the probe until its JWKS cache expires, paging for nothing.',
    });

    const fn = (name: string, entry: string, description: string, timeout: Duration) => {
      const logGroup = new logs.LogGroup(this, `${name}Logs`, {
        logGroupName: `/aws/lambda/${prefix}-canary-${name.toLowerCase()}`,
        retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const role = new iam.Role(this, `${name}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `oidcwatch canary ${name.toLowerCase()}`,
      });
      logGroup.grantWrite(role);
      const f = new nodejs.NodejsFunction(this, name, {
        functionName: `${prefix}-canary-${name.toLowerCase()}`,
        description,
        entry: `${PROJECT_ROOT}${entry}`,
        handler: 'handler',
        projectRoot: PROJECT_ROOT,
        depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 256,
        timeout,
        role,
        logGroup,
        environment: {
          OIDCWATCH_CANARY_KEY_SECRET: this.keySecret.secretArn,
          NODE_OPTIONS: '--enable-source-maps',
        },
        bundling: BUNDLING,
      });
      (f.node.defaultChild as lambda.CfnFunction).addMetadata('cfn-lint', {
        config: { ignore_checks: ['W3005'] },
      });
      return f;
    };

    this.issuer = fn(
      'Issuer',
      'src/canary/issuer-index.ts',
      'oidcwatch canary issuer: OpenID discovery and JWKS (public key only)',
      Duration.seconds(10)
    );
    this.keySecret.grantRead(this.issuer);
    // STS fetches discovery and the JWKS anonymously: the URL cannot require IAM auth. It serves
    // the public key only; every other path is 404.
    this.issuerUrl = this.issuer.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    this.issuerHost = Fn.select(2, Fn.split('/', this.issuerUrl.url));

    this.probe = fn(
      'Probe',
      'src/canary/probe-index.ts',
      'oidcwatch canary probe: one denied AssumeRoleWithWebIdentity per monitored account and Region',
      Duration.seconds(60)
    );
    this.keySecret.grantRead(this.probe);
    this.keySecret.grantWrite(this.probe);
    this.probe.addEnvironment('OIDCWATCH_CANARY_ISSUER', `https://${this.issuerHost}`);
    this.probe.addEnvironment(
      'OIDCWATCH_CANARY_TARGETS',
      stack.toJsonString(
        props.targets.map((t) => ({
          roleArn: Arn.format(
            {
              service: 'iam',
              region: '',
              account: t.account,
              resource: 'role',
              resourceName: CANARY_ROLE_NAME,
            },
            stack
          ),
          region: t.region,
        }))
      )
    );
    new events.Rule(this, 'Schedule', {
      ruleName: `${prefix}-canary-schedule`,
      description: 'oidcwatch canary: one denied call per monitored account and Region',
      schedule: events.Schedule.rate(interval),
      targets: [new targets.LambdaFunction(this.probe, { retryAttempts: 0 })],
    });

    const namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const bound = Duration.minutes(interval.toMinutes() * missed);
    const page = new actions.SnsAction(props.topic);
    this.heartbeatAlarms = props.targets.map((t, i) => {
      const alarm = new cloudwatch.Alarm(this, `Heartbeat${i}`, {
        alarmName: `${prefix}-canary-${t.account}-${t.region}`,
        alarmDescription: `oidcwatch has seen no canary call from account ${t.account} in ${t.region} for ${bound.toHumanString()}: the monitor is blind there (trail, forwarder, bus policy, rule, intake queue or processor). Read /aws/lambda/${prefix}-canary-probe (the call) and the processor log (oidcwatch.canary lines).`,
        metric: new cloudwatch.Metric({
          namespace,
          metricName: METRIC.CanaryHeartbeat,
          dimensionsMap: { [DIMENSION.Account]: t.account, [DIMENSION.Region]: t.region },
          statistic: cloudwatch.Stats.SUM,
          period: interval,
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: missed,
        datapointsToAlarm: missed,
        // Silence is the failure this alarm exists for.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
      alarm.addAlarmAction(page);
      alarm.addOkAction(page);
      return alarm;
    });
  }
}
