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
