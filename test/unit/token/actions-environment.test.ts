/** Whether doctor runs inside a job that may request an OIDC token. */
import { describe, expect, it } from 'vitest';
import { readActionsEnvironment } from '../../../src/domain/token/actions-environment.js';

describe('readActionsEnvironment', () => {
  it('gives the request URL and token of a job granted id-token: write', () => {
    // Prepare
    const env = {
      GITHUB_ACTIONS: 'true',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.example/idtoken?api-version=2.0',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token-value',
    };

    // Act
    const found = readActionsEnvironment(env);

    // Assess
    expect(found).toEqual({
      ok: true,
      requestUrl: 'https://pipelines.example/idtoken?api-version=2.0',
      requestToken: 'request-token-value',
    });
  });

  it('names the one variable that is missing', () => {
    // Prepare
    const env = {
      GITHUB_ACTIONS: 'true',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.example/idtoken',
    };

    // Act
    const found = readActionsEnvironment(env);

    // Assess
    expect(found).toMatchObject({ ok: false, problem: 'MISSING_ID_TOKEN_PERMISSION' });
    expect(!found.ok && found.message).toContain('ACTIONS_ID_TOKEN_REQUEST_TOKEN is not set.');
    expect(!found.ok && found.fix).toContain(
      'In a reusable workflow, the calling job must grant id-token: write too.'
    );
  });

  it('says doctor must run in a job when GITHUB_ACTIONS is not "true"', () => {
    // Prepare
    const env = { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.example/idtoken' };

    // Act
    const found = readActionsEnvironment(env);

    // Assess
    expect(found).toMatchObject({ ok: false, problem: 'NOT_IN_GITHUB_ACTIONS' });
  });
});
