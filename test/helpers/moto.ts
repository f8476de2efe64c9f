/**
 * Starts the local AWS API emulator (`moto_server`) on a free loopback port for a test file, and
 * stops it by PID. Where `moto_server` is absent the suite is skipped with a visible message,
 * except under `CI=true`, where that is a failure.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** A running emulator. */
export interface Moto {
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** `true` when `moto_server` can be run here. */
export function motoAvailable(): boolean {
  const r = spawnSync('moto_server', ['--help'], { stdio: 'ignore', timeout: 20_000 });
  return r.status === 0;
}

/** Whether to run moto-backed suites; prints why when not. Throws under CI when moto is missing. */
export function shouldRunMotoSuite(name: string): boolean {
  if (motoAvailable()) return true;
  if (process.env.CI === 'true')
    throw new Error(`${name}: moto_server is not installed, and CI=true requires it`);
  console.warn(
    `\n  ⚠ SKIPPED ${name}: moto_server is not installed (pip install "moto[server]")\n`
  );
  return false;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within 30 s`);
}

/** Starts `moto_server -H 127.0.0.1 -p <free port>`. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
    detached: false,
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(endpoint, child);
  const pid = child.pid as number;
  return {
    endpoint,
    pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        process.kill(pid, 'SIGTERM');
        setTimeout(() => {
          if (child.exitCode === null) process.kill(pid, 'SIGKILL');
        }, 5_000).unref();
      }),
  };
}

/** Dummy credentials and settings for SDK clients pointed at the emulator. */
export function motoClientConfig(endpoint: string) {
  return {
    region: 'us-east-1',
    endpoint,
    maxAttempts: 1,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
}
