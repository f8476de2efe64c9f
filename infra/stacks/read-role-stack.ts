import {
  CfnCondition,
  CfnOutput,
  CfnParameter,
  DefaultStackSynthesizer,
  Fn,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CanaryRole } from '../constructs/canary-role.js';
import { ReadRole } from '../constructs/read-role.js';
import { DEFAULT_PROCESSOR_ROLE_NAME, DEFAULT_READ_ROLE_NAME } from '../defaults.js';

/** Properties of {@link ReadRoleStack}. */
export interface ReadRoleStackProps extends StackProps {
  /**
   * Default of the `ProcessorAccountId` parameter: the account of the monitor stack.
   *
   * @default none: the parameter must be given at deployment
   */
  readonly processorAccountId?: string;
  /**
   * Default of the `ProcessorRoleName` parameter.
   *
   * @default 'oidcwatch-processor'
   */
  readonly processorRoleName?: string;
  /**
   * Default of the `ReadRoleName` parameter.
   *
   * @default 'oidcwatch-read'
   */
  readonly readRoleName?: string;
  /**
   * Default of the `CanaryIssuerHost` parameter (the monitor's `CanaryIssuerHost` output): the
   * canary's OIDC provider and never-assumable role are made when it is set.
   *
   * @default '' (no canary role)
   */
  readonly canaryIssuerHost?: string;
}

/**
 * Deployed once per member account (IAM is global: one Region is enough): the read role the
 * processor assumes, trusted only by the processor's role and allowed only the four IAM reads.
 * Parameterised and free of assets and bootstrap checks, so it also deploys as a StackSet.
 *
 * @example
 * ```ts
 * new ReadRoleStack(app, 'OidcwatchReadRole', { processorAccountId: '111122223333' });
 * ```
 */
export class ReadRoleStack extends Stack {
  /** The read role. */
  readonly readRole: ReadRole;

  constructor(scope: Construct, id: string, props: ReadRoleStackProps = {}) {
    super(scope, id, {
      description: 'oidcwatch read role: lets the central processor read IAM trust policies',
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
      ...props,
    });
    const processorAccountId = new CfnParameter(this, 'ProcessorAccountId', {
      type: 'String',
      description: 'Account id of the oidcwatch monitor stack',
      allowedPattern: '^[0-9]{12}$',
      constraintDescription: 'must be a 12-digit account id',
      default: props.processorAccountId,
    });
    const processorRoleName = new CfnParameter(this, 'ProcessorRoleName', {
      type: 'String',
      description: 'Name of the processor execution role (ProcessorRoleArn output of the monitor)',
      allowedPattern: '^[A-Za-z0-9+=,.@_-]{1,64}$',
      default: props.processorRoleName ?? DEFAULT_PROCESSOR_ROLE_NAME,
    });
    const readRoleName = new CfnParameter(this, 'ReadRoleName', {
      type: 'String',
      description: 'Name of this read role (the processor assumes it by name)',
      allowedPattern: '^[A-Za-z0-9+=,.@_-]{1,64}$',
      default: props.readRoleName ?? DEFAULT_READ_ROLE_NAME,
    });
    this.readRole = new ReadRole(this, 'ReadRole', {
      processorAccountId: processorAccountId.valueAsString,
      processorRoleName: processorRoleName.valueAsString,
      roleName: readRoleName.valueAsString,
    });
    new CfnOutput(this, 'ReadRoleArn', { value: this.readRole.role.roleArn });

    const canaryHost = new CfnParameter(this, 'CanaryIssuerHost', {
      type: 'String',
      description:
        'Optional: the host of the monitor canary issuer (CanaryIssuerHost output); adds the canary provider and the never-assumable canary role',
      allowedPattern: '^$|^[a-z0-9.-]{1,253}$',
      default: props.canaryIssuerHost ?? '',
    });
    const withCanary = new CfnCondition(this, 'WithCanary', {
      expression: Fn.conditionNot(Fn.conditionEquals(canaryHost.valueAsString, '')),
    });
    const canary = new CanaryRole(this, 'CanaryRole', { issuerHost: canaryHost.valueAsString });
    canary.provider.cfnOptions.condition = withCanary;
    canary.role.cfnOptions.condition = withCanary;
  }
}
