/**
 * Explains the `sub` AWS will see: which form GitHub gave it (branch, tag, pull_request,
 * environment, a custom template, the immutable `owner@ID/repo@ID` form) and what a trust policy
 * must say to admit it.
 */
import { parseSubject } from '../subject/parse-subject.js';
import type { Subject, SubjectForm } from '../types.js';

/** The subject, explained. */
export interface SubjectExplanation {
  /** The `sub` exactly as AWS compares it. */
  readonly sub: string;
  readonly form: SubjectForm;
  /** `true` for the immutable `repo:OWNER@ID/REPO@ID:…` form. */
  readonly immutable: boolean;
  /** The subject's keys in order (`repo`, `environment`, …). */
  readonly keys: readonly string[];
  readonly repository: string | null;
  readonly ref: string | null;
  readonly environment: string | null;
  /** What the form means, in sentences. */
  readonly description: string;
}

function formText(s: Subject): string {
  const repo = s.repository ?? 'the repository';
  switch (s.form) {
    case 'branch':
      return (
        `Branch form: the job runs on ${s.ref ?? 'a branch'} and declares no environment` +
        (s.ref?.includes('/gh-readonly-queue/')
          ? ' (a merge-queue run: its branch is not the target branch).'
          : '.')
      );
    case 'tag':
      return `Tag form: the job runs on tag ${s.ref ?? ''} and declares no environment.`;
    case 'ref':
      return `Ref form: the job runs on ${s.ref ?? 'a ref'}, neither a branch nor a tag, and declares no environment.`;
    case 'pull_request':
      return `Pull-request form: the job runs for a pull_request event and declares no environment, so the sub names no branch: every pull request of ${repo} gets this same sub.`;
    case 'environment':
      return (
        `Environment form: the job declares \`environment: ${s.environment ?? ''}\`, so the sub names the environment instead of the ref; ` +
        'a policy value with ":ref:" does not match it, whatever branch the job runs on.'
      );
    case 'repo-only':
      return 'Custom subject template with the repo segment only: every job of the repository gets this same sub.';
    case 'custom':
      return (
        `Custom subject template: the repository or its organization customised the sub to the keys ${s.pairs.map((p) => p.key).join(', ')}, in this order. ` +
        'IAM compares this exact string, so the policy must be written for this template (or reset it: PUT /repos/{owner}/{repo}/actions/oidc/customization/sub with {"use_default": true}).'
      );
    default:
      return 'oidcwatch cannot read this sub as a GitHub subject.';
  }
}

function immutableText(s: Subject): string {
  const [owner, name] = (s.repository ?? '/').split('/');
  return (
    ` Immutable form: the repo segment carries ids (owner ${owner} is ${s.ownerId}, repository ${name} is ${s.repositoryId}), ` +
    'as GitHub gives repositories created, renamed or transferred after 15 July 2026 and those that opted in. ' +
    `Name-based values such as "repo:${s.repository}:*" do not match it; write "repo:${owner}@${s.ownerId}/${name}@${s.repositoryId}:…".`
  );
}

/**
 * Explains a GitHub `sub`.
 *
 * @example
 * ```ts
 * explainSubject('repo:acme-corp/payments-api:environment:production').form; // 'environment'
 * ```
 */
export function explainSubject(sub: string): SubjectExplanation {
  const s = parseSubject(sub, 'github');
  return {
    sub,
    form: s.form,
    immutable: s.immutable,
    keys: s.pairs.map((p) => p.key),
    repository: s.repository,
    ref: s.ref,
    environment: s.environment,
    description: formText(s) + (s.immutable ? immutableText(s) : ''),
  };
}
