/**
 * A loopback endpoint that accepts every connection and never answers: what a hung dependency
 * looks like to a client (as opposed to a refused connection). Tests point SDK clients at it to
 * prove their timeouts and retries, never waiting for the server.
 */
import { createServer, type Socket } from 'node:net';

/** A running hung endpoint. */
export interface HungEndpoint {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** What each connection sent, in order of connection (its length is the connections made). */
  readonly received: string[];
  /** Drops every connection and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts a hung endpoint on a free loopback port.
 *
 * @example
 * ```ts
 * const hung = await startHungEndpoint();
 * const sts = new STSClient({ endpoint: hung.url, maxAttempts: 2, requestHandler: … });
 * // … hung.received.length === 2
 * await hung.close();
 * ```
 */
export async function startHungEndpoint(): Promise<HungEndpoint> {
  const received: string[] = [];
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    const at = received.push('') - 1;
    sockets.push(socket);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received[at] += chunk;
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    received,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
