/**
 * The JSON Schema of the IAM snapshot file (draft 2020-12), the one source of
 * `docs/iam-snapshot.schema.json` and of the schema shown in `docs/iam-snapshot.md` (both
 * generated from it; a test fails when they are stale). `x-expected` says, for an error message,
 * what a value must be; validators other than oidcwatch's ignore it.
 */

/** The schema document. */
export const IAM_SNAPSHOT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:oidcwatch:schema:iam-snapshot',
  title: 'oidcwatch IAM snapshot',
  description:
    'What oidcwatch would read from IAM, as a file: per AWS account, every role with its trust policy and every IAM OIDC identity provider. For an account listed here the snapshot is the whole truth (a role not listed does not exist); an account not listed cannot be enriched.',
  type: 'object',
  'x-expected': 'an object with "accounts"',
  required: ['accounts'],
  properties: {
    $schema: { type: 'string', description: 'Optional: where editors find this schema.' },
    accounts: {
      description: 'The accounts, keyed by their 12-digit account id.',
      'x-expected': 'an object keyed by 12-digit account ids',
      type: 'object',
      propertyNames: {
        pattern: '^[0-9]{12}$',
        'x-expected': 'a 12-digit account id',
      },
      additionalProperties: { $ref: '#/$defs/account' },
    },
  },
  $defs: {
    account: {
      description: 'One account: its roles and its OIDC providers.',
      'x-expected': 'an object with "roles" and "oidcProviders"',
      type: 'object',
      required: ['roles', 'oidcProviders'],
      properties: {
        roles: {
          description:
            'Every role of the account ([] when it has none): a role not listed does not exist.',
          'x-expected': 'an array of roles',
          type: 'array',
          items: { $ref: '#/$defs/role' },
        },
        oidcProviders: {
          description:
            'Every IAM OIDC identity provider of the account ([] when it has none): a provider not listed does not exist, so a snapshot without this list cannot tell a missing provider from a missing field.',
          'x-expected': 'an array of OIDC providers',
          type: 'array',
          items: { $ref: '#/$defs/oidcProvider' },
        },
      },
    },
    role: {
      description: 'A role, as iam:GetRole returns it.',
      'x-expected': 'an object with "arn" and "trustPolicy"',
      type: 'object',
      required: ['arn', 'trustPolicy'],
      properties: {
        arn: {
          description:
            'The role ARN, arn:aws:iam::ACCOUNT:role/[PATH/]NAME; ACCOUNT is the account the role is listed under.',
          'x-expected': 'an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)',
          type: 'string',
          pattern: '^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$',
        },
        trustPolicy: {
          description:
            'The trust policy (AssumeRolePolicyDocument): a policy object, its JSON text, or the URL-encoded text iam:GetRole returns.',
          'x-expected': 'a policy object or its (URL-encoded) JSON text',
          oneOf: [{ type: 'object' }, { type: 'string', minLength: 1 }],
        },
        maxSessionDuration: {
          description: 'MaxSessionDuration in seconds.',
          'x-expected': 'a whole number of seconds',
          type: 'integer',
          minimum: 1,
        },
      },
    },
    oidcProvider: {
      description: 'An IAM OIDC identity provider, as iam:GetOpenIDConnectProvider returns it.',
      'x-expected': 'an object with "arn" and "clientIds"',
      type: 'object',
      required: ['arn', 'clientIds'],
      properties: {
        arn: {
          description:
            'The provider ARN, arn:aws:iam::ACCOUNT:oidc-provider/HOST[/PATH]; ACCOUNT is the account the provider is listed under.',
          'x-expected': 'an OIDC provider ARN (arn:aws:iam::ACCOUNT:oidc-provider/URL)',
          type: 'string',
          pattern: '^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/.+$',
        },
        url: {
          description:
            'The issuer URL (the scheme is optional). Default: the part of the ARN after oidc-provider/.',
          'x-expected': 'a non-empty string',
          type: 'string',
          minLength: 1,
        },
        clientIds: {
          description:
            'The client IDs (audiences) the provider accepts, e.g. ["sts.amazonaws.com"]. [] is valid: then no audience is accepted.',
          'x-expected': 'an array of strings',
          type: 'array',
          items: { type: 'string', 'x-expected': 'a string' },
        },
        thumbprints: {
          description: 'The certificate thumbprints (40 hex digits each). Default [].',
          'x-expected': 'an array of strings',
          type: 'array',
          items: { type: 'string', 'x-expected': 'a string' },
        },
      },
    },
  },
} as const;
