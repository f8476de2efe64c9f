/**
 * The README's SARIF excerpt is a real result of `oidcwatch audit --iam-snapshot
 * examples/iam-snapshot.json --sarif -`, byte for byte: it goes stale (and this test fails) when the
 * output changes, e.g. a statement quoted twice or a severity graded otherwise.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/commands/audit.js';
import { fakeIo } from '../../helpers/fake-io.js';

describe('README: SARIF excerpt', () => {
  it('shows a result exactly as the audit of the sample snapshot writes it', async () => {
    // Prepare
    const readme = await readFile('README.md', 'utf8');
    const marker = /<!-- sarif-excerpt: (\S+) -->\n```json\n([\s\S]*?)\n```/.exec(readme);
    const io = fakeIo();

    // Act
    await run(['--iam-snapshot', 'examples/iam-snapshot.json', '--sarif', '-'], io);

    // Assess
    expect(marker).not.toBeNull();
    const [, ruleId, excerpt] = marker as RegExpExecArray;
    const log = JSON.parse(io.out()) as { runs: { results: { ruleId: string }[] }[] };
    const result = log.runs[0]?.results.find((r) => r.ruleId === ruleId);
    expect(excerpt).toBe(JSON.stringify(result, null, 2));
  });
});
