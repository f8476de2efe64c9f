/**
 * `GitHubRepositoryDirectory` (the GitHub side of `audit --github`) against the local GitHub fake:
 * what each kind of credentials can tell, following a rename by id, and GitHub not answering.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubConnection } from '../../src/adapters/github/github-connection.js';
import { GitHubRepositoryDirectory } from '../../src/adapters/github/github-repository-directory.js';
import { type FakeGitHub, startFakeGitHub } from '../helpers/fake-github/server.js';

let fake: FakeGitHub;

beforeEach(async () => {
  fake = await startFakeGitHub();
});
afterEach(async () => {
  await fake.close();
});

function directory(
  credentials: ConstructorParameters<typeof GitHubConnection>[0]['credentials']
): GitHubRepositoryDirectory {
  return new GitHubRepositoryDirectory(
    new GitHubConnection({ baseUrl: fake.url, credentials, retryUnitMs: 1, retries: 1 })
  );
}

describe('GitHubRepositoryDirectory', () => {
  it('without credentials finds public repositories and cannot tell a private one from a deleted one', async () => {
    // Prepare
    const acme = fake.world.addAccount('acme-corp', { id: 10 });
    fake.world.addRepository(acme, 'site', { id: 20, private: false });
    fake.world.addRepository(acme, 'api', { id: 21 });
    const github = directory({ kind: 'anonymous' });

    // Act
    const site = await github.byName('acme-corp', 'site');
    const api = await github.byName('acme-corp', 'api');
    const owner = await github.owner('acme-corp');
    const nobody = await github.owner('acme-old');

    // Assess
    expect(site).toEqual({
      kind: 'found',
      id: '20',
      owner: 'acme-corp',
      ownerId: '10',
      name: 'site',
    });
    expect(api).toEqual({
      kind: 'missing',
      certainty: 'unknown',
      why: 'without credentials only public repositories are visible',
    });
    expect([owner, nobody]).toEqual([{ kind: 'found' }, { kind: 'missing' }]);
    expect(fake.violations).toEqual([]);
  });

  it('finds a renamed repository by its id, and says an unknown id is not visible', async () => {
    // Prepare
    const acme = fake.world.addAccount('acme-corp', { id: 10 });
    const api = fake.world.addRepository(acme, 'api', { id: 21 });
    fake.world.rename(api, 'api-v2');
    fake.addToken('github_pat_x', [api]);
    const github = directory({ kind: 'token', token: 'github_pat_x' });

    // Act
    const byId = await github.byId('21', 'acme-corp');
    const unknown = await github.byId('99', 'acme-corp');

    // Assess
    expect(byId).toEqual({
      kind: 'found',
      id: '21',
      owner: 'acme-corp',
      ownerId: '10',
      name: 'api-v2',
    });
    expect(unknown).toMatchObject({ kind: 'missing', certainty: 'unknown' });
    expect(fake.violations).toEqual([]);
  });

  it('reports GitHub down as unchecked, and the next lookup still asks', async () => {
    // Prepare
    const acme = fake.world.addAccount('acme-corp');
    fake.world.addRepository(acme, 'site', { private: false });
    const github = directory({ kind: 'anonymous' });

    // Act
    fake.outage(true);
    const down = await github.byName('acme-corp', 'site');
    fake.outage(false);
    const up = await github.byName('acme-corp', 'site');

    // Assess
    expect(down).toMatchObject({ kind: 'unchecked', detail: 'UNAVAILABLE' });
    expect(up).toMatchObject({ kind: 'found', name: 'site' });
  });

  it('with a GitHub App not installed on the owner, says so rather than guessing', async () => {
    // Prepare
    const acme = fake.world.addAccount('acme-corp');
    fake.world.addRepository(acme, 'api');
    const github = directory({
      kind: 'app',
      appId: String(fake.app.id),
      privateKey: fake.app.privateKey,
    });

    // Act
    const api = await github.byName('acme-corp', 'api');

    // Assess
    expect(api).toEqual({
      kind: 'unchecked',
      detail: 'DENIED',
      reason: 'the GitHub App has no installation',
    });
  });
});
