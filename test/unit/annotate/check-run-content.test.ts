/**
 * What the developer reads on their run: the check run's title, summary and text carry the cause,
 * the explanation and the remedy with its diff and what oidcwatch checked; values from the record
 * cannot break the Markdown; and nothing about another role, account or repository is shown.
 */
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import {
  CHECK_RUN_NAME,
  type CheckRunInput,
  renderCheckRun,
} from '../../../src/domain/annotate/check-run-content.js';
import { redactForeign } from '../../../src/domain/annotate/redact-foreign.js';
import {
  ACCOUNT,
  failure,
  ROLE,
  SUB,
  TRUST_POLICY_REMEDY,
} from '../../helpers/annotate-fixtures.js';

const FIRST = Date.parse('2026-11-27T14:05:40Z');

function input(overrides: Partial<CheckRunInput> = {}): CheckRunInput {
  return {
    diagnosis: failure(),
    attempts: 12,
    firstCallMs: FIRST,
    lastCallMs: FIRST + 102_000,
    target: {
      kind: 'job',
      headSha: 'f0c1a2b3c4d5e6f708192a3b4c5d6e7f80919aab',
      workflowName: 'Deploy',
      workflowPath: '.github/workflows/deploy.yml',
      runNumber: 412,
      runAttempt: 1,
      runUrl: 'https://github.com/acme-corp/payments-api/actions/runs/1001',
      jobName: 'deploy',
      jobUrl: 'https://github.com/acme-corp/payments-api/actions/runs/1001/job/2002',
    },
    workflowLine: {
      path: '.github/workflows/deploy.yml',
      key: 'role-to-assume',
      line: 17,
      value: ROLE,
    },
    externalId: 'oidcwatch/job/2002/abc',
    ...overrides,
  };
}

describe('renderCheckRun', () => {
  it('is a failed check run carrying the cause, the explanation, the remedy diff and what was checked', () => {
    // Act
    const c = renderCheckRun(input());

    // Assess
    expect(c).toMatchObject({
      name: CHECK_RUN_NAME,
      head_sha: 'f0c1a2b3c4d5e6f708192a3b4c5d6e7f80919aab',
      status: 'completed',
      conclusion: 'failure',
      external_id: 'oidcwatch/job/2002/abc',
      completed_at: '2026-11-27T14:07:22Z',
    });
    expect(c.output.title).toBe(
      'AWS refused role payments-deploy: this branch is not trusted by the role'
    );
    expect(c.output.summary).toContain('`SUB_MISMATCH` · `BRANCH`');
    expect(c.output.summary).toContain('a branch the policy does not list');
    expect(c.output.summary).toContain('2026-11-27T14:05:40Z, 12 attempts over 1 min 42 s');
    expect(c.output.summary).toContain(
      '[deploy](https://github.com/acme-corp/payments-api/actions/runs/1001/job/2002) in [Deploy #412](https://github.com/acme-corp/payments-api/actions/runs/1001)'
    );
    expect(c.output.text).toContain(
      [
        '```diff',
        '@@ statement "GitHubActions" › Condition › StringEquals › token.actions.githubusercontent.com:sub @@',
        `+ "${SUB}"`,
        '```',
      ].join('\n')
    );
    expect(c.output.text).toContain('**Checked by oidcwatch:** the patched policy admits');
    expect(c.output.text).toContain('It admits nothing beyond calls like this one.');
    expect(c.output.text).toContain(
      'aws iam update-assume-role-policy --role-name payments-deploy'
    );
    expect(c.output.annotations).toEqual([
      {
        path: '.github/workflows/deploy.yml',
        start_line: 17,
        end_line: 17,
        annotation_level: 'failure',
        title: 'AWS refused role payments-deploy: this branch is not trusted by the role',
        message: TRUST_POLICY_REMEDY.summary,
      },
    ]);
  });

  it('falls back to the fix sentence when the line has no remedy', () => {
    // Act
    const c = renderCheckRun(
      input({ diagnosis: failure({ remedy: undefined, fix: 'Run the job from main.' }) })
    );

    // Assess
    expect(c.output.summary).toContain('**Fix:** Run the job from main.');
    expect(c.output.text).not.toContain('## How to fix it');
    expect(c.output.text).not.toContain('```diff');
  });

  it('shows an unverified remedy as not to be applied', () => {
    // Prepare
    const remedy = {
      ...TRUST_POLICY_REMEDY,
      verified: false,
      verification: {
        admitsCall: false,
        newFindings: [],
        withinLimits: true,
        problems: ['the patched policy still denies the call'],
        notes: [],
      },
    };

    // Act
    const c = renderCheckRun(input({ diagnosis: failure({ remedy }) }));

    // Assess
    expect(c.output.text).toContain(
      '**Not verified:** the patched policy still denies the call. Do not apply it as it is.'
    );
  });

  it('keeps hostile branch names and policy values from becoming HTML or Markdown', () => {
    // Prepare
    const sub = 'repo:acme-corp/payments-api:ref:refs/heads/x`<img src=x onerror=alert(1)>`**';
    const explanation = `the job's sub is "${sub}"; the policy allows "repo:acme-corp/payments-api:ref:refs/heads/<script>alert(1)</script>"`;

    // Act
    const c = renderCheckRun(input({ diagnosis: failure({ sub, explanation }) }));
    const html = marked.parse(c.output.summary, { async: false }) as string;

    // Assess
    expect(c.output.summary).toContain(
      '| Subject (`sub`) | ``repo:acme-corp/payments-api:ref:refs/heads/x`<img src=x onerror=alert(1)>`**`` |'
    );
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('&lt;script&gt;');
  });

  it('shows nothing of another role, account or repository', () => {
    // Prepare
    const d = failure({
      cause: 'WRONG_PROVIDER_PRINCIPAL',
      detail: null,
      explanation:
        'The trust policy of arn:aws:iam::111122223333:role/payments-deploy names "arn:aws:iam::999988887777:oidc-provider/token.actions.githubusercontent.com" as principal; it also allows "repo:acme-corp/data-pipeline:*" and was changed by arn:aws:sts::111122223333:assumed-role/PlatformAdmin/bob@example.com. A role with a similar name: arn:aws:iam::111122223333:role/payments-deploy-v2. Account 444455556666 too.',
      remedy: {
        ...TRUST_POLICY_REMEDY,
        command:
          'aws iam update-assume-role-policy --policy-document \'{"Principal":"repo:acme-corp/other:*"}\'',
      },
      findings: [
        {
          code: 'OVER_PERMISSIVE_TRUST_POLICY',
          detail: 'WILDCARD_OWNER',
          roleArn: 'arn:aws:iam::111122223333:role/sandbox',
          statement: '"x"',
          message: 'sandbox admits any owner',
        },
      ],
    });

    // Act
    const c = renderCheckRun(input({ diagnosis: d }));
    const all = JSON.stringify(c);

    // Assess
    for (const foreign of [
      '999988887777',
      '444455556666',
      'data-pipeline',
      'PlatformAdmin',
      'payments-deploy-v2',
      'sandbox',
      'acme-corp/other',
    ])
      expect(all).not.toContain(foreign);
    expect(all).toContain(ROLE);
    expect(all).toContain(ACCOUNT);
    expect(c.output.summary).toContain('arn:aws:iam::\\[another account\\]:oidc-provider');
  });
});

describe('redactForeign', () => {
  it("keeps the call's own role, account, repository (also by ids), wildcards and workflow refs", () => {
    // Prepare
    const owner = { account: ACCOUNT, roleArn: ROLE, repository: 'acme-corp/billing-service' };
    const text =
      'repo:acme-corp@41235811/billing-service@998877665:ref:refs/heads/main vs "repo:Acme-Corp/billing-service:*", "repo:acme-corp/*:ref:refs/heads/main", job_workflow_ref acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main in 111122223333 (event 5f0c1a2b-3c4d-4e5f-8a9b-000000000001)';

    // Act
    const out = redactForeign(text, owner);

    // Assess
    expect(out).toBe(text);
  });
});

describe('redactForeign: roles', () => {
  it('keeps a role verified to admit the call, and reads an ARN without the punctuation after it', () => {
    // Prepare
    const owner = {
      account: ACCOUNT,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/payments-deploy-prod`,
      repository: 'acme-corp/payments-api',
      admittingRoles: [ROLE],
    };

    // Act
    const out = redactForeign(
      `Set role-to-assume to ${ROLE}: it admits this job. Not arn:aws:iam::${ACCOUNT}:role/sandbox.`,
      owner
    );

    // Assess
    expect(out).toBe(`Set role-to-assume to ${ROLE}: it admits this job. Not [another role].`);
  });
});

describe('renderCheckRun: the patched document', () => {
  it('shows the whole patched policy only when it names nothing but this job’s repository', () => {
    // Prepare
    const shared = {
      ...TRUST_POLICY_REMEDY,
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Condition: {
              StringLike: {
                'token.actions.githubusercontent.com:sub': ['repo:acme-corp/ledger:*', SUB],
              },
            },
          },
        ],
      },
    };

    // Act
    const own = renderCheckRun(input());
    const foreign = renderCheckRun(input({ diagnosis: failure({ remedy: shared }) }));

    // Assess
    expect(own.output.text).toContain('```json\n{\n  "Version": "2012-10-17"');
    expect(foreign.output.text).not.toContain('```json');
    expect(foreign.output.text).not.toContain('acme-corp/ledger');
    expect(foreign.output.text).toContain('aws iam update-assume-role-policy');
  });
});
