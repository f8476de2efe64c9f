import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CANARY_AUDIENCE } from '../../src/canary/claims.js';

/** Name of the role the canary's calls are denied on, in every monitored account. */
export const CANARY_ROLE_NAME = 'oidcwatch-canary';

/** Properties of {@link CanaryRole}. */
export interface CanaryRoleProps {
  /** The canary issuer's host (the function URL's): the OIDC provider is `https://<host>`. */
  readonly issuerHost: string;
  /** @default 'oidcwatch-canary' */
  readonly roleName?: string;
}

/**
 * What the canary needs in one monitored account: an IAM OIDC provider for the canary issuer, and
 * a role that can never be assumed. Its trust policy allows the provider's web identity and then
 * denies it explicitly (an explicit Deny wins over any Allow, whatever the token says), so every
 * call is refused with AccessDenied, the denial CloudTrail records; and the role has no permission
 * at all besides an inline Deny of everything, in case the trust policy is ever edited.
 *
 * @example
 * ```ts
 * new CanaryRole(this, 'Canary', { issuerHost: issuer.host });
 * ```
 */
export class CanaryRole extends Construct {
  /** The IAM OIDC provider of the canary issuer. */
  readonly provider: iam.CfnOIDCProvider;
  /** The role the canary is denied on. */
  readonly role: iam.CfnRole;

  constructor(scope: Construct, id: string, props: CanaryRoleProps) {
    super(scope, id);
    // No thumbprint: IAM verifies the issuer's certificate against its trusted CAs.
    this.provider = new iam.CfnOIDCProvider(this, 'Provider', {
      url: `https://${props.issuerHost}`,
      clientIdList: [CANARY_AUDIENCE],
    });
    const federated = { Federated: this.provider.attrArn };
    this.role = new iam.CfnRole(this, 'Role', {
      roleName: props.roleName ?? CANARY_ROLE_NAME,
      description:
        'oidcwatch canary: every AssumeRoleWithWebIdentity is denied (explicit Deny); the denial CloudTrail records is the monitor heartbeat. Never assumable, no permissions.',
      maxSessionDuration: 3600,
      assumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'TheCanaryIssuer',
            Effect: 'Allow',
            Principal: federated,
            Action: 'sts:AssumeRoleWithWebIdentity',
          },
          {
            Sid: 'ButNeverAssumed',
            Effect: 'Deny',
            Principal: federated,
            Action: 'sts:AssumeRoleWithWebIdentity',
          },
        ],
      },
      policies: [
        {
          policyName: 'DenyEverything',
          policyDocument: {
            Version: '2012-10-17',
            Statement: [{ Sid: 'NothingAtAll', Effect: 'Deny', Action: '*', Resource: '*' }],
          },
        },
      ],
    });
  }
}
