/**
 * Nothing from another repository, account or role reaches a run: the check run and the
 * pull-request comment of every failing job in the sample data (which has roles trusted by other
 * repositories, a policy copied from another account, unresolved calls with candidate roles,
 * change annotations naming people) name only the job's own role, account and repository.
 */
import { describe, expect, it } from 'vitest';
import {
  type CheckRunContent,
  renderCheckRun,
  renderPullRequestComment,
} from '../../src/domain/annotate/check-run-content.js';
import { groupFailingJobs } from '../../src/domain/annotate/failing-jobs.js';
import { jobFactsOf } from '../../src/domain/annotate/job-facts.js';
import { sampleDiagnoses } from '../helpers/sample-run.js';

/** Every role ARN, account id and repository subject a text names (Markdown escapes removed). */
function named(escaped: string) {
  const text = escaped.replace(/\\+/g, '');
  return {
    roles: [...text.matchAll(/arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+/g)].map((m) =>
      m[0].replace(/[.,]+$/, '')
    ),
    accounts: [...text.matchAll(/(?<![\w@.-])\d{12}(?![\w@-])/g)].map((m) => m[0]),
    repositories: [...text.matchAll(/repo:([^\s"'`:,;()[\]{}\\]+)/g)]
      .map((m) => (m[1] ?? '').replace(/@\d+/g, '').toLowerCase())
      .filter((r) => !/[*?]/.test(r)),
  };
}

describe('what is posted for the sample data', () => {
  it("names only the job's own role, account and repository", async () => {
    // Prepare
    const jobs = groupFailingJobs(await sampleDiagnoses()).filter(
      (j) => jobFactsOf(j.diagnosis).ok
    );

    // Act
    const posted = jobs.map((job) => {
      const content: CheckRunContent = renderCheckRun({
        diagnosis: job.diagnosis,
        attempts: job.attempts,
        firstCallMs: job.firstCallMs ?? 0,
        lastCallMs: job.lastCallMs ?? 0,
        target: { kind: 'commit', headSha: 'a'.repeat(40), runs: [] },
        workflowLine: null,
        externalId: 'x',
      });
      const comment = renderPullRequestComment(content, job.diagnosis, null, '<!-- x -->');
      const o = content.output;
      const annotations = (o.annotations ?? []).map((a) => `${a.title}\n${a.message}`);
      return {
        d: job.diagnosis,
        text: [o.title, o.summary, o.text, ...annotations, comment, content.external_id].join('\n'),
      };
    });

    // Assess
    expect(jobs.length).toBeGreaterThan(15);
    for (const { d, text } of posted) {
      const n = named(text);
      // The job's role, and a role the fix points at that admits this very call.
      const r = d.remedy;
      const admitting = r?.kind === 'role' && r.verified && r.useRoleArn ? [r.useRoleArn] : [];
      const own = [...(d.roleArn === null ? [] : [d.roleArn]), ...admitting];
      for (const role of n.roles) expect(own, `${d.repository} ${d.cause}`).toContain(role);
      for (const account of n.accounts)
        expect(account, `${d.repository} ${d.cause}`).toBe(d.account);
      for (const repository of n.repositories)
        expect(repository, `${d.repository} ${d.cause}`).toBe(d.repository?.toLowerCase());
    }
  });
});
