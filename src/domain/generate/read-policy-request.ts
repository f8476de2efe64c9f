/**
 * Reads {@link PolicyOptions} into a {@link PolicyRequest}, or says which option is wrong and what
 * is expected. Refuses what would make a broad or never-matching role: wildcard owners or names,
 * an environment mixed with refs (a job that declares an environment has no ref in its sub), a
 * workflow pin on a key STS does not evaluate for the issuer.
 */
import { OidcwatchError } from '../errors.js';
import { GITHUB_CONDITION_CLAIMS } from '../policy/token-claims-request.js';
import { identifyIssuer } from '../subject/identify-issuer.js';
import type { Issuer } from '../types.js';
import {
  DEFAULT_SUB_TEMPLATE,
  type JobContext,
  PLACEHOLDER_ACCOUNT,
  type PolicyOptions,
  type PolicyRequest,
  type RepositoryRef,
  type SubTemplateKey,
  type WorkflowPin,
} from './policy-request.js';

const GITHUB_DOT_COM = 'token.actions.githubusercontent.com';
const OWNER = /^[A-Za-z0-9][A-Za-z0-9_-]{0,38}$/;
const REPO_NAME = /^[A-Za-z0-9._-]{1,100}$/;
const GITLAB_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const ID = /^[1-9]\d{0,19}$/;
const ACCOUNT = /^\d{12}$/;
const PARTITION = /^aws(-[a-z]+)*$/;
const WORKFLOW = /^([^/@\s]+)\/([^/@\s]+)\/(\.github\/workflows\/[^@\s]+\.ya?ml)@(\S+)$/;
const FULL_REF = /^(refs\/(heads|tags)\/\S+|[0-9a-f]{40})$/;
const WILDCARD = /[*?]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects
const CONTROL = /[\u0000-\u001f\u007f]/;
const TEMPLATE_KEYS: readonly SubTemplateKey[] = ['repo', 'context', 'job_workflow_ref'];

function invalid(message: string): OidcwatchError {
  return new OidcwatchError('ERR_POLICY_REQUEST_INVALID', message);
}

function readIssuer(text: string | undefined): PolicyRequest['issuer'] {
  const given = (text ?? 'github').trim();
  const shortcut: Record<string, string> = {
    github: GITHUB_DOT_COM,
    'github.com': GITHUB_DOT_COM,
    gitlab: 'gitlab.com',
  };
  const issuer: Issuer = identifyIssuer(shortcut[given.toLowerCase()] ?? given);
  if (issuer.kind === 'github' || issuer.kind === 'gitlab')
    return issuer as PolicyRequest['issuer'];
  throw invalid(
    `--issuer "${given}" is not a GitHub or GitLab issuer. Give github (${GITHUB_DOT_COM}), ` +
      `${GITHUB_DOT_COM}/ENTERPRISE_SLUG, token.actions.SUBDOMAIN.ghe.com, ` +
      'HOST/_services/token (GitHub Enterprise Server), gitlab or a GitLab host.'
  );
}

function readGithubRepository(text: string): RepositoryRef {
  const what = `--repo "${text}"`;
  const parts = text.split('/');
  if (parts.length !== 2)
    throw invalid(`${what} must be OWNER/NAME (or OWNER@OWNER_ID/NAME@REPO_ID)`);
  const immutable = /^([^@/]+)@([^/]+)\/([^@/]+)@(.+)$/.exec(text);
  const owner = immutable?.[1] ?? (parts[0] as string);
  const ownerId = immutable?.[2] ?? null;
  const name = immutable?.[3] ?? (parts[1] as string);
  const repositoryId = immutable?.[4] ?? null;
  if (WILDCARD.test(owner) || WILDCARD.test(name))
    throw invalid(
      `${what}: wildcards admit repositories nobody reviewed (an owner wildcard admits any owner's); name each repository`
    );
  if (!OWNER.test(owner))
    throw invalid(`${what}: "${owner}" is not a GitHub owner (letters, digits, "-"; 1–39)`);
  if (!REPO_NAME.test(name) || name === '.' || name === '..')
    throw invalid(`${what}: "${name}" is not a GitHub repository name (letters, digits, . _ -)`);
  if (ownerId !== null && !ID.test(ownerId))
    throw invalid(`${what}: the owner id "${ownerId}" must be a number`);
  if (repositoryId !== null && !ID.test(repositoryId))
    throw invalid(`${what}: the repository id "${repositoryId}" must be a number`);
  return { owner, name, ownerId, repositoryId };
}

function readGitlabProject(text: string): RepositoryRef {
  const segments = text.split('/');
  const what = `--repo "${text}"`;
  if (WILDCARD.test(text))
    throw invalid(`${what}: wildcards admit projects nobody reviewed; name each project`);
  if (segments.length < 2 || !segments.every((s) => GITLAB_SEGMENT.test(s)))
    throw invalid(`${what} must be a GitLab project path, GROUP/PROJECT or GROUP/SUBGROUP/PROJECT`);
  return {
    owner: segments.slice(0, -1).join('/'),
    name: segments[segments.length - 1] as string,
    ownerId: null,
    repositoryId: null,
  };
}

function readNames(
  option: string,
  values: readonly string[] | undefined,
  prefix: string | null
): string[] {
  const out: string[] = [];
  for (const raw of values ?? []) {
    const name = prefix !== null && raw.startsWith(prefix) ? raw.slice(prefix.length) : raw;
    if (name.trim() === '' || CONTROL.test(name))
      throw invalid(`--${option} "${raw}" must be a non-empty name or pattern`);
    if (prefix !== null && (/[\s:~^\\[]/.test(name) || name.includes('..')))
      throw invalid(`--${option} "${raw}" is not a git ref name (no spaces, ":", "~", "^", "\\")`);
    if (prefix === null && name.length > 255)
      throw invalid(`--${option} "${raw}" is longer than GitHub's 255 characters`);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

function readContexts(options: PolicyOptions, issuer: PolicyRequest['issuer']): JobContext[] {
  const environments = readNames('environment', options.environments, null);
  const branches = readNames('branch', options.branches, 'refs/heads/');
  const tags = readNames('tag', options.tags, 'refs/tags/');
  if (environments.length > 0 && branches.length + tags.length > 0)
    throw invalid(
      'give --environment, or --branch/--tag, not both: a job that declares an environment has ' +
        'no ref in its sub, so one statement cannot require both. Limit the environment to ' +
        'branches with its deployment branch rules on GitHub instead.'
    );
  if (environments.length > 0 && issuer.kind === 'gitlab')
    throw invalid(
      "--environment: GitLab's sub carries no environment; use --branch or --tag (protect the branch)"
    );
  const contexts: JobContext[] = [
    ...environments.map((name): JobContext => ({ kind: 'environment', name })),
    ...branches.map((name): JobContext => ({ kind: 'branch', name })),
    ...tags.map((name): JobContext => ({ kind: 'tag', name })),
  ];
  if (contexts.length === 0)
    throw invalid(
      'say which jobs may assume the role: --environment NAME, or --branch/--tag PATTERN ' +
        '(a role every ref of a repository can assume is what focused roles avoid)'
    );
  return contexts;
}

function readTemplate(
  options: PolicyOptions,
  issuer: PolicyRequest['issuer']
): readonly SubTemplateKey[] {
  if (options.subTemplate === undefined || options.subTemplate.length === 0)
    return DEFAULT_SUB_TEMPLATE;
  if (issuer.kind !== 'github') throw invalid('--sub-template: only GitHub has sub templates');
  const keys = options.subTemplate.map((k) => k.trim());
  for (const key of keys)
    if (!(TEMPLATE_KEYS as readonly string[]).includes(key))
      throw invalid(
        `--sub-template: "${key}" is not supported; use keys among ${TEMPLATE_KEYS.join(', ')}`
      );
  if (new Set(keys).size !== keys.length) throw invalid('--sub-template: a key is repeated');
  if (!keys.includes('repo') || !keys.includes('context'))
    throw invalid('--sub-template must include repo and context (the policy names both)');
  return keys as SubTemplateKey[];
}

function readWorkflow(
  text: string | undefined,
  issuer: PolicyRequest['issuer'],
  template: readonly SubTemplateKey[]
): WorkflowPin | null {
  const inSub = template.includes('job_workflow_ref');
  if (text === undefined || text === '') {
    if (inSub) throw invalid('--sub-template includes job_workflow_ref: give --workflow');
    return null;
  }
  if (issuer.kind !== 'github')
    throw invalid('--workflow: GitLab tokens have no job_workflow_ref claim');
  const m = WORKFLOW.exec(text.trim());
  if (m === null)
    throw invalid(
      `--workflow "${text}" must be OWNER/REPO/.github/workflows/FILE.yml@REF, e.g. acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main`
    );
  const [, owner = '', repo = '', path = '', gitRef = ''] = m;
  if (WILDCARD.test(`${owner}/${repo}/${path}`))
    throw invalid(`--workflow "${text}": wildcards are allowed only in the ref after "@"`);
  if (!FULL_REF.test(gitRef.replace(/[*?]/g, 'x')))
    throw invalid(
      `--workflow "${text}": the ref after "@" must be a full ref (refs/heads/${gitRef}, refs/tags/${gitRef}) or a commit SHA, as job_workflow_ref carries it`
    );
  if (!inSub && issuer.url !== GITHUB_DOT_COM)
    throw invalid(
      `--workflow: STS is documented to evaluate job_workflow_ref only for ${GITHUB_DOT_COM}, not for ${issuer.url}. ` +
        'Put it in the sub instead: customise the repository\'s sub template to ["repo","context","job_workflow_ref"] and pass --sub-template repo,context,job_workflow_ref.'
    );
  return {
    ref: `${owner}/${repo}/${path}@${gitRef}`,
    repository: `${owner}/${repo}`,
    path,
    gitRef,
    placement: inSub ? 'sub' : 'condition',
  };
}

/**
 * Reads and checks the options of a trust policy.
 *
 * @throws OidcwatchError `ERR_POLICY_REQUEST_INVALID`, naming the option and what it expects
 *
 * @example
 * ```ts
 * const request = readPolicyRequest({ repositories: ['acme-corp/api'], environments: ['production'], account: '111122223333' });
 * request.providerArn; // 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com'
 * ```
 */
export function readPolicyRequest(options: PolicyOptions): PolicyRequest {
  const issuer = readIssuer(options.issuer);
  if (options.repositories.length === 0)
    throw invalid('name at least one repository (--repo OWNER/NAME)');
  const repositories: RepositoryRef[] = [];
  for (const text of options.repositories) {
    const repo =
      issuer.kind === 'github' ? readGithubRepository(text.trim()) : readGitlabProject(text.trim());
    const same = (r: RepositoryRef) => r.owner === repo.owner && r.name === repo.name;
    if (!repositories.some(same)) repositories.push(repo);
  }
  const withIds = repositories.filter((r) => r.repositoryId !== null);
  const immutable = options.immutable === true || withIds.length > 0;
  if (immutable) {
    if (issuer.enterprise && issuer.url.endsWith('_services/token'))
      throw invalid(
        'immutable subjects (OWNER@ID/NAME@ID) are not issued by GitHub Enterprise Server'
      );
    const missing = repositories.filter((r) => r.repositoryId === null);
    if (missing.length > 0)
      throw invalid(
        `immutable subjects need every repository's ids: give ${missing.map((r) => `--repo ${r.owner}@OWNER_ID/${r.name}@REPO_ID`).join(', ')} (or a GitHub token to look them up)`
      );
  }
  const account = options.account?.trim() || null;
  if (account !== null && !ACCOUNT.test(account))
    throw invalid(`--account "${account}" must be a 12-digit AWS account id`);
  const partition = options.partition?.trim() || 'aws';
  if (!PARTITION.test(partition))
    throw invalid(`--partition "${partition}" must be an AWS partition (aws, aws-cn, aws-us-gov)`);
  const audience =
    options.audience?.trim() ||
    (issuer.kind === 'github' ? 'sts.amazonaws.com' : `https://${issuer.url}`);
  if (WILDCARD.test(audience))
    throw invalid(`--audience "${audience}": the audience is compared exactly; no wildcards`);
  const subTemplate = readTemplate(options, issuer);
  return {
    issuer,
    audience,
    account,
    partition,
    providerArn: `arn:${partition}:iam::${account ?? PLACEHOLDER_ACCOUNT}:oidc-provider/${issuer.url}`,
    repositories,
    immutable,
    contexts: readContexts(options, issuer),
    workflow: readWorkflow(options.workflow, issuer, subTemplate),
    subTemplate,
    conditionClaims: issuer.url === GITHUB_DOT_COM ? GITHUB_CONDITION_CLAIMS : ['aud', 'sub'],
  };
}
