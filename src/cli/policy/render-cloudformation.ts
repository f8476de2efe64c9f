/**
 * `oidcwatch policy --cloudformation`: a CloudFormation template (YAML) with one `AWS::IAM::Role`
 * whose `AssumeRolePolicyDocument` is the checked policy, and the role ARN as an output. Without an
 * account the provider ARN is an `Fn::Sub` of `AWS::Partition` and `AWS::AccountId`, so one
 * template serves every account of a StackSet. Written as YAML 1.1 (what CloudFormation reads), so
 * strings such as `2012-10-17` are quoted rather than read as dates.
 */
import { stringify } from 'yaml';
import type { GeneratedTrustPolicy } from '../../domain/generate/generate-trust-policy.js';
import type { RoleSettings } from './role-settings.js';

/** A CloudFormation logical id from a role name: `gha-acme-corp-api` → `GhaAcmeCorpApiRole`. */
export function logicalId(roleName: string): string {
  const words = roleName.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  const id = words.map((w) => `${w[0]?.toUpperCase() ?? ''}${w.slice(1)}`).join('');
  return `${/^[A-Za-z]/.test(id) ? id : `Role${id}`}Role`.slice(0, 255);
}

/**
 * The template.
 *
 * @param comments - lines put at the top as `#` comments (the command, the checks)
 *
 * @example
 * ```ts
 * io.stdout.write(renderCloudFormation(generated, roleSettings(generated.request, {}), ['checked …']));
 * ```
 */
export function renderCloudFormation(
  generated: GeneratedTrustPolicy,
  role: RoleSettings,
  comments: readonly string[]
): string {
  const { request, document } = generated;
  const federated =
    request.account === null
      ? {
          'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:oidc-provider/${request.issuer.url}`,
        }
      : request.providerArn;
  const policy = {
    ...document,
    Statement: document.Statement.map((st) => ({ ...st, Principal: { Federated: federated } })),
  };
  const id = logicalId(role.name);
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: role.description,
    Resources: {
      [id]: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: role.name,
          Description: role.description,
          MaxSessionDuration: role.maxSessionDuration,
          ...(role.permissionsBoundary === null
            ? {}
            : { PermissionsBoundary: role.permissionsBoundary }),
          AssumeRolePolicyDocument: policy,
        },
      },
    },
    Outputs: {
      RoleArn: {
        Description: 'The role for role-to-assume',
        Value: { 'Fn::GetAtt': [id, 'Arn'] },
      },
    },
  };
  const head = comments.map((c) => `# ${c}`.trimEnd()).join('\n');
  return `${head}\n${stringify(template, { lineWidth: 0, version: '1.1' })}`;
}
