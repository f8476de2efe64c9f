/**
 * The top-level `oidcwatch` entry: `--version`, the help with every exit code, unknown commands.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { fakeIo } from '../../helpers/fake-io.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

describe('oidcwatch --version', () => {
  it('prints the package version and exits 0', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await main(['--version'], io);

    // Assess
    expect(code).toBe(0);
    expect(io.out()).toBe(`oidcwatch ${pkg.version}\n`);
    expect(io.err()).toBe('');
  });
});

describe('oidcwatch --help', () => {
  it('lists every exit code with its meaning', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await main(['--help'], io);

    // Assess
    expect(code).toBe(0);
    for (const exit of ['0', '1', '2', '3', '130'])
      expect(io.out()).toMatch(new RegExp(`^  ${exit} +\\S`, 'm'));
    expect(io.out()).toContain('audit --fail-on');
    expect(io.out()).toContain('doctor --fail-on-deny');
  });
});

describe('mistyped commands and options', () => {
  it('suggests the nearest command for an unknown one, and exits 1', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await main(['clasify', 'events.json'], io);

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toMatch(/^oidcwatch: unknown command "clasify" \(did you mean classify\?\)\n/);
    expect(io.out()).toBe('');
  });

  it('suggests the nearest option of the command, in the one error format', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await main(['report', '--jsno', 'diagnoses.jsonl'], io);
    const far = fakeIo();
    const farCode = await main(['simulate', '--completely-different'], far);

    // Assess
    expect(code).toBe(1);
    expect(io.err().split('\n')[0]).toBe(
      'oidcwatch report: unknown option --jsno (did you mean --json?); run "oidcwatch report --help" for its options'
    );
    expect(farCode).toBe(1);
    expect(far.err()).toBe(
      'oidcwatch simulate: unknown option --completely-different; run "oidcwatch simulate --help" for its options\n'
    );
  });
});

describe('stdin from a terminal', () => {
  it.each(['classify', 'report'])(
    '%s without a file on a terminal prints its usage instead of waiting, and exits 1',
    async (command) => {
      // Prepare
      const io = fakeIo();
      Object.assign(io.stdin, { isTTY: true });

      // Act
      const code = await main([command], io);

      // Assess
      expect(code).toBe(1);
      expect(io.out()).toBe('');
      expect(io.err()).toContain(
        `oidcwatch ${command}: no input: give a file or directory, or pipe records into stdin\n\nusage: oidcwatch ${command}`
      );
    }
  );
});
