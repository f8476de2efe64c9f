/**
 * A local HTTP server (127.0.0.1, free port) playing both sides of a GitHub Actions OIDC token:
 * the job's token endpoint (`ACTIONS_ID_TOKEN_REQUEST_URL`, bearer `ACTIONS_ID_TOKEN_REQUEST_TOKEN`,
 * `&audience=`, answering `{ "value": <jwt> }`) and the issuer (`/.well-known/jwks`,
 * `/.well-known/openid-configuration` → `jwks_uri`). Every request is recorded.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

/** One request the server saw. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization: string | null;
}

/** Where the issuer publishes its keys. */
export type KeysMode = 'jwks' | 'discovery-only' | 'none';

/** The running server. */
export interface ActionsOidcServer {
  /** `http://127.0.0.1:<port>`: the issuer URL of tokens it issues. */
  readonly url: string;
  /** The value of `ACTIONS_ID_TOKEN_REQUEST_URL` (already has `?api-version=2.0`). */
  readonly requestUrl: string;
  readonly requests: SeenRequest[];
  /** What the token endpoint returns for an audience (a signed JWT). */
  issue: (audience: string) => Promise<string>;
  /** The keys the issuer publishes. */
  keys: JWK[];
  keysMode: KeysMode;
  close(): Promise<void>;
}

const TOKEN_PATH = '/_apis/distributedtask/hubs/Actions/plans/0000/jobs/0001/idtoken';

function send(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * Starts the server.
 *
 * @param requestToken - the bearer the token endpoint accepts
 */
export async function startActionsOidcServer(requestToken: string): Promise<ActionsOidcServer> {
  const state: ActionsOidcServer = {
    url: '',
    requestUrl: '',
    requests: [],
    issue: async () => {
      throw new Error('no token issuer set');
    },
    keys: [],
    keysMode: 'jwks',
    close: async () => {},
  };
  const handle = async (req: IncomingMessage, res: import('node:http').ServerResponse) => {
    const u = new URL(req.url ?? '/', state.url);
    state.requests.push({
      method: req.method ?? '',
      path: u.pathname,
      query: u.searchParams,
      authorization: req.headers.authorization ?? null,
    });
    if (u.pathname === TOKEN_PATH) {
      if (req.headers.authorization !== `Bearer ${requestToken}`)
        return send(res, 401, { message: 'Unauthorized' });
      const audience = u.searchParams.get('audience');
      if (audience === null) return send(res, 400, { message: 'audience missing' });
      return send(res, 200, { count: 1, value: await state.issue(audience) });
    }
    if (u.pathname === '/.well-known/jwks' && state.keysMode === 'jwks')
      return send(res, 200, { keys: state.keys });
    if (u.pathname === '/.well-known/openid-configuration' && state.keysMode !== 'none')
      return send(res, 200, {
        issuer: state.url,
        jwks_uri: `${state.url}/discovered/keys`,
        subject_types_supported: ['public', 'pairwise'],
        response_types_supported: ['id_token'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    if (u.pathname === '/discovered/keys' && state.keysMode === 'discovery-only')
      return send(res, 200, { keys: state.keys });
    return send(res, 404, { message: 'Not Found' });
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => send(res, 500, { message: String(e) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    requestUrl: `http://127.0.0.1:${port}${TOKEN_PATH}?api-version=2.0`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return state;
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
