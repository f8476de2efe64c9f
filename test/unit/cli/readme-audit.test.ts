/**
 * The README's audit excerpt is real output of `oidcwatch audit --iam-snapshot
 * examples/iam-snapshot.json --fail-on high` on the sample data: every line it shows (stdout, then
 * the stderr line) appears in that output, in order, so it goes stale (and this test fails) when the
 * sample data or the text report changes.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/commands/audit.js';
import { fakeIo } from '../../helpers/fake-io.js';

const COMMAND = '$ oidcwatch audit --iam-snapshot examples/iam-snapshot.json --fail-on high\n';

describe('README: audit excerpt', () => {
  it('shows lines of the real output on the sample data, in order', async () => {
    // Prepare
    const readme = await readFile('README.md', 'utf8');
    const start = readme.indexOf(COMMAND) + COMMAND.length;
    const shown = readme
      .slice(start, readme.indexOf('```', start))
      .split('\n')
      .filter((l) => l !== '' && l !== '…');
    const io = fakeIo();

    // Act
    const code = await run(
      ['--iam-snapshot', 'examples/iam-snapshot.json', '--fail-on', 'high'],
      io
    );

    // Assess
    expect(readme).toContain(COMMAND);
    expect(code).toBe(3);
    expect(shown.length).toBeGreaterThan(10);
    const lines = `${io.out()}${io.err()}`.split('\n');
    let at = 0;
    for (const line of shown) {
      const found = lines.indexOf(line, at);
      expect(found, line).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
  });
});
