/**
 * The README's excerpts of `npm start` (the Quick start block and the remedy block of "What
 * oidcwatch tells you") are real output of `oidcwatch classify` on the sample data: every line they
 * show appears in that output, in order, so they go stale (and this test fails) when the output or
 * the sample data changes.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { fakeIo } from '../../helpers/fake-io.js';

/** The README's code blocks that show classify entries (`2026-11-27 …` lines). */
function sampleBlocks(readme: string): string[][] {
  return [...readme.matchAll(/```[a-z]*\n([\s\S]*?)```/g)]
    .map((m) => (m[1] ?? '').split('\n').filter((l) => l !== '' && l.trim() !== '…'))
    .filter((lines) => lines.some((l) => /^2026-11-27 \d\d:\d\d:\d\dZ \d{12} /.test(l)));
}

describe('README: the sample output of npm start', () => {
  it('shows lines of the real classify output, in order, in each excerpt', async () => {
    // Prepare
    const readme = await readFile('README.md', 'utf8');
    const io = fakeIo({ env: { NO_COLOR: '1' } });

    // Act
    const code = await main(
      [
        'classify',
        'examples/events',
        '--iam-snapshot',
        'examples/iam-snapshot.json',
        '--changes',
        'examples/changes',
      ],
      io
    );

    // Assess
    expect(code).toBe(0);
    const out = io.out().split('\n');
    const blocks = sampleBlocks(readme);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const shown of blocks) {
      let at = 0;
      for (const line of shown) {
        const found = out.indexOf(line, at);
        expect(found, line).toBeGreaterThanOrEqual(0);
        at = found + 1;
      }
    }
  });
});
