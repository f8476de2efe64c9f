/**
 * Reads a `sub` claim with its issuer's grammar, or recognises the issuer from the subject's shape
 * when the issuer is not known.
 */
import { boundedMemo } from '../bounded-memo.js';
import type { IssuerKind, Subject } from '../types.js';
import { parseBitbucketSubject } from './bitbucket-subject.js';
import { parseBuildkiteSubject } from './buildkite-subject.js';
import { parseCircleciSubject } from './circleci-subject.js';
import { parseEksSubject } from './eks-subject.js';
import { parseGithubSubject } from './github-subject.js';
import { parseGitlabSubject } from './gitlab-subject.js';
import { unknownSubject } from './subject-builder.js';
import { parseTerraformSubject } from './terraform-subject.js';

/** A grammar: the subject, or `null` when the string does not follow it. */
type Grammar = (sub: string) => Subject | null;

/** The grammar of each known issuer. */
const GRAMMARS: Readonly<Record<Exclude<IssuerKind, 'other'>, Grammar>> = {
  github: (sub) => parseGithubSubject(sub, false),
  gitlab: parseGitlabSubject,
  'terraform-cloud': parseTerraformSubject,
  circleci: parseCircleciSubject,
  buildkite: parseBuildkiteSubject,
  bitbucket: parseBitbucketSubject,
  eks: parseEksSubject,
};

/**
 * Grammars tried, in order, when the issuer is not known. The distinctive shapes come first; GitHub
 * comes last and then accepts only keys GitHub is known to emit.
 */
const BY_SHAPE: readonly Grammar[] = [
  parseEksSubject,
  parseCircleciSubject,
  parseBitbucketSubject,
  parseTerraformSubject,
  parseBuildkiteSubject,
  parseGitlabSubject,
  (sub) => parseGithubSubject(sub, true),
];

/**
 * Parses a `sub` claim. With a known issuer its grammar decides; with `null` or `other` the subject
 * is recognised by its shape, and `issuerKind` on the result says which shape matched (`other`
 * when none did). Never throws: any string gives a `Subject`, `form: 'unknown'` when unrecognised.
 *
 * Recognised forms. GitHub: `branch`, `tag`, `ref` (other refs), `pull_request`, `environment`,
 * `repo-only`, `custom` (any other key order or extra keys), the immutable `owner@ID/name@ID`
 * marked `immutable`. GitLab, Terraform Cloud, CircleCI, Buildkite, Bitbucket: `project`. EKS:
 * `service-account`.
 *
 * @param sub - the subject exactly as recorded (`raw` keeps it verbatim)
 * @param issuerKind - the issuer's kind, from `identifyIssuer`, or `null` when not known
 * @returns the parsed subject
 *
 * @example
 * ```ts
 * const s = parseSubject('repo:octo-org/octo-repo:environment:Production%3AV1', 'github');
 * s.form; // 'environment'
 * s.environment; // 'Production:V1'
 * s.claims; // { environment: 'Production:V1', repository: 'octo-org/octo-repo', repository_owner: 'octo-org' }
 * ```
 */
function parseSubject(sub: string, issuerKind: IssuerKind | null): Subject {
  if (typeof sub !== 'string') return unknownSubject(String(sub), issuerKind ?? 'other');
  return memoSubject(`${issuerKind ?? ''}\u0000${sub}`);
}

const memoSubject = boundedMemo((key: string): Subject => {
  const at = key.indexOf('\u0000');
  const kind = key.slice(0, at);
  return parseUncached(key.slice(at + 1), kind === '' ? null : (kind as IssuerKind));
});

function parseUncached(sub: string, issuerKind: IssuerKind | null): Subject {
  if (typeof sub !== 'string') return unknownSubject(String(sub), issuerKind ?? 'other');
  if (issuerKind !== null && issuerKind !== 'other') {
    const grammar = GRAMMARS[issuerKind];
    return grammar?.(sub) ?? unknownSubject(sub, issuerKind);
  }
  for (const grammar of BY_SHAPE) {
    const subject = grammar(sub);
    if (subject !== null) return subject;
  }
  return unknownSubject(sub, 'other');
}

export { parseSubject };
