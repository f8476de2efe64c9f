/**
 * The CDK constructs oidcwatch exports (`oidcwatch/cdk`). `aws-cdk-lib` and `constructs` are peer
 * dependencies: a user of the CLI alone does not install them.
 */
export { GitHubOidcRole, type GitHubOidcRoleProps } from './github-oidc-role.js';
