/**
 * Runs the built `oidcwatch` executable (`dist/oidcwatch.js`, the package's `bin`; built once per
 * test run by `test/helpers/build-once.ts`) as a real process.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built executable. */
export const OIDCWATCH_BIN = fileURLToPath(new URL('../../dist/oidcwatch.js', import.meta.url));

/** What a run of the executable produced. */
export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `oidcwatch ARGS` and collects its output.
 *
 * @param options.env - the whole environment (default: this process's, with `NO_COLOR=1`)
 * @param options.stdin - text for stdin (default: stdin is closed empty)
 * @param options.bin - another executable to run (e.g. an installed package's)
 */
export function runOidcwatch(
  args: readonly string[],
  options: {
    env?: Record<string, string | undefined>;
    stdin?: string;
    bin?: string;
    cwd?: string;
  } = {}
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.bin ?? OIDCWATCH_BIN, ...args], {
      env: options.env ?? { ...process.env, NO_COLOR: '1' },
      cwd: options.cwd,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += String(c);
    });
    child.stderr.on('data', (c) => {
      stderr += String(c);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
