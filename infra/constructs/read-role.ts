import { Arn, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeIamTrustReadWildcards, iamTrustReadStatements } from '../lib/iam-trust-read.js';

/** Properties of {@link ReadRole}. */
export interface ReadRoleProps {
  /** The account the processor runs in. */
  readonly processorAccountId: string;
  /** Name of the processor's execution role in that account (the only principal trusted). */
  readonly processorRoleName: string;
  /** Name of this role (the processor assumes `arn:…:role/<name>` in every member account). */
  readonly roleName: string;
}

/**
 * The role the processor assumes in a member account to read trust policies and OIDC providers.
 * It trusts only the processor's execution role: the account principal with an `ArnEquals`
 * condition on `aws:PrincipalArn` (so recreating the processor role does not silently break the
 * trust, as a role principal would), and allows only the four IAM reads.
 *
 * @example
 * ```ts
 * new ReadRole(this, 'ReadRole', {
 *   processorAccountId: '111122223333', processorRoleName: 'oidcwatch-processor', roleName: 'oidcwatch-read',
 * });
 * ```
 */
export class ReadRole extends Construct {
  /** The role. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ReadRoleProps) {
    super(scope, id);
    const processorRoleArn = Arn.format(
      {
        service: 'iam',
        region: '',
        account: props.processorAccountId,
        resource: 'role',
        resourceName: props.processorRoleName,
      },
      Stack.of(this)
    );
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description:
        'oidcwatch: lets the central processor read IAM trust policies and OIDC providers',
      assumedBy: new iam.AccountPrincipal(props.processorAccountId).withConditions({
        ArnEquals: { 'aws:PrincipalArn': processorRoleArn },
      }),
      maxSessionDuration: Duration.hours(1),
      inlinePolicies: {
        ReadIamTrust: new iam.PolicyDocument({ statements: iamTrustReadStatements(this) }),
      },
    });
    acknowledgeIamTrustReadWildcards(this.role);
  }
}
