/**
 * docs/remedies.md names, for each case, the test that checks it. This keeps the table honest: every
 * file it names exists and every test or `describe` it names (after `›`) is in that file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The names a cell of the table refers to, as `[file, names]`. */
function references(cell: string): [string, string[]][] {
  const out: [string, string[]][] = [];
  const parts = cell.split(/`([^`]+\.test\.ts)`/);
  for (let i = 1; i < parts.length; i += 2) {
    const after = (parts[i + 1] ?? '').replace(/\([^)]*\)/g, '');
    const names = after
      .split(/[;]/)[0]
      ?.split('›')
      .slice(1)
      .flatMap((n) => n.split(/[;]/))
      .map((n) => n.trim().replace(/…$/, '').replace(/,$/, '').trim())
      .filter((n) => n.length > 0);
    out.push([parts[i] as string, names ?? []]);
  }
  return out;
}

describe('docs/remedies.md', () => {
  it('names only tests that exist, in the files it names', () => {
    // Prepare
    const doc = readFileSync('docs/remedies.md', 'utf8');
    const table = doc.slice(doc.indexOf('## What we check'));
    const rows = table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Case'));

    // Act
    const refs = rows.flatMap((row) => references(row.replace(/ \|$/, '').split(' | ')[1] ?? ''));

    // Assess
    expect(rows.length).toBeGreaterThan(20);
    expect(refs.length).toBeGreaterThan(rows.length);
    const missing: string[] = [];
    for (const [file, names] of refs) {
      const path = `test/unit/${file}`;
      if (!existsSync(path)) {
        missing.push(path);
        continue;
      }
      const text = readFileSync(path, 'utf8');
      for (const name of names) if (!text.includes(name)) missing.push(`${path} › ${name}`);
    }
    expect(missing).toEqual([]);
  });
});
