/**
 * The IAM reads the processor needs, in one place for both the processor's own account (its
 * execution role) and the member accounts (the read role): exactly `iam:GetRole`,
 * `iam:GetOpenIDConnectProvider`, `iam:ListRoles` and `iam:ListOpenIDConnectProviders`.
 */
import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/** The four IAM actions, for tests and documentation. */
export const IAM_TRUST_READ_ACTIONS = [
  'iam:GetRole',
  'iam:GetOpenIDConnectProvider',
  'iam:ListRoles',
  'iam:ListOpenIDConnectProviders',
] as const;

/**
 * How cdk-nag names a value in a finding id: tokens as `<AWS::…>`, literals as they are.
 */
export function nagName(value: string, pseudo: 'AccountId' | 'Partition'): string {
  return Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value;
}

/**
 * Acknowledges the wildcard findings (cdk-nag `AwsSolutions-IAM5`, one per wildcard resource)
 * of {@link iamTrustReadStatements} on `scope`, each with why the wildcard is needed.
 */
export function acknowledgeIamTrustReadWildcards(scope: IConstruct): void {
  const stack = Stack.of(scope);
  const arn = `arn:${nagName(stack.partition, 'Partition')}:iam::${nagName(stack.account, 'AccountId')}`;
  const reasons: Record<string, string> = {
    'Resource::*':
      'iam:ListRoles and iam:ListOpenIDConnectProviders support no resource-level permissions: IAM requires Resource "*". Both are read-only.',
    [`Resource::${arn}:role/*`]:
      'iam:GetRole on the roles of this one account: any role of the account can be the target of a failed GitHub OIDC assumption, so no narrower ARN exists. GetRole is read-only.',
    [`Resource::${arn}:oidc-provider/*`]:
      'iam:GetOpenIDConnectProvider on the OIDC providers of this one account: which provider a failed call names is only known from the event. The call is read-only.',
  };
  for (const [finding, reason] of Object.entries(reasons))
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
}

/**
 * Statements allowing the four reads in the account of `scope`'s stack: the two `Get` calls on
 * this account's roles and OIDC providers only, the two `List` calls on `*` (IAM offers no
 * resource-level scoping for them).
 */
export function iamTrustReadStatements(scope: IConstruct): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const arn = (resource: string) =>
    stack.formatArn({ service: 'iam', region: '', resource, resourceName: '*' });
  return [
    new iam.PolicyStatement({
      sid: 'GetRolesAndOidcProvidersOfThisAccount',
      actions: ['iam:GetRole', 'iam:GetOpenIDConnectProvider'],
      resources: [arn('role'), arn('oidc-provider')],
    }),
    new iam.PolicyStatement({
      sid: 'ListRolesAndOidcProviders',
      actions: ['iam:ListRoles', 'iam:ListOpenIDConnectProviders'],
      resources: ['*'],
    }),
  ];
}
