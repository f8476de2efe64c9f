/**
 * A local HTTP server (127.0.0.1, free port) playing PagerDuty's Events API v2 endpoint: it
 * records every request and answers from a script (`202` by default, as PagerDuty does when it
 * accepts an event). Also: the URL of a port nothing listens on, for an unreachable PagerDuty.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The path PagerDuty serves the Events API v2 on. */
export const ENQUEUE_PATH = '/v2/enqueue';

/** One request the server saw. */
export interface PagerDutyRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The raw body. */
  readonly text: string;
  /** The body parsed as JSON (`null` when it is not JSON). */
  readonly body: Record<string, unknown> | null;
}

/** One scripted answer; `hang` never answers (the client's timeout must end the attempt). */
export type PagerDutyAnswer =
  | {
      readonly status: number;
      readonly body?: unknown;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | 'hang';

/** The running server. */
export interface FakePagerDuty {
  /** `http://127.0.0.1:<port>/v2/enqueue` */
  readonly url: string;
  readonly requests: PagerDutyRequest[];
  /** Answers for the next requests, in order; after them, `202` accepted. */
  answer(...answers: PagerDutyAnswer[]): void;
  close(): Promise<void>;
}

/** PagerDuty's answer when it accepts an event. */
function accepted(body: Record<string, unknown> | null): PagerDutyAnswer {
  return {
    status: 202,
    body: { status: 'success', message: 'Event processed', dedup_key: body?.dedup_key ?? null },
  };
}

/** Starts the server. */
export async function startFakePagerDuty(): Promise<FakePagerDuty> {
  const requests: PagerDutyRequest[] = [];
  const script: PagerDutyAnswer[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => {
      let body: Record<string, unknown> | null = null;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        body = null;
      }
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        text,
        body,
      });
      const answer = script.shift() ?? accepted(body);
      if (answer === 'hang') return;
      const payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(payload ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${ENQUEUE_PATH}`,
    requests,
    answer: (...answers) => {
      script.push(...answers);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The Events API URL on a loopback port nothing listens on (connections are refused). */
export async function unreachablePagerDutyUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${ENQUEUE_PATH}`;
}
