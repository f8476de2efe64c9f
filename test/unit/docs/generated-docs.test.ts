/**
 * The docs generated from code stay what the code says: docs/causes.md (causes, details,
 * findings, the order of judgement), docs/iam-snapshot.md and docs/iam-snapshot.schema.json (the
 * schema the CLI validates with). Run `npm run docs` to rewrite them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_DOCS } from '../../../scripts/docs/generated-docs.js';
import { CAUSES, SUB_MISMATCH_DETAILS } from '../../../src/domain/causes.js';
import { CAUSE_RULES } from '../../../src/domain/classify/rules/index.js';

describe('generated docs', () => {
  it.each(GENERATED_DOCS.map((d) => [d.path, d] as const))(
    '%s is up to date (npm run docs)',
    (path, doc) => {
      // Prepare
      const current = readFileSync(path, 'utf8');

      // Act
      const expected = doc.render(current);

      // Assess
      expect(current).toBe(expected);
    }
  );

  it('docs/causes.md names every cause, every SUB_MISMATCH detail and every rule in order', () => {
    // Prepare
    const doc = readFileSync('docs/causes.md', 'utf8');

    // Act
    const order = CAUSE_RULES.map(([name]) => doc.indexOf(`[${name}](`));

    // Assess
    for (const cause of CAUSES) expect(doc).toContain(`| \`${cause}\` |`);
    for (const detail of SUB_MISMATCH_DETAILS) expect(doc).toContain(`| \`${detail}\` |`);
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('a stale block is detected: the render differs from a doc whose block was edited', () => {
    // Prepare
    const causes = GENERATED_DOCS.find((d) => d.path === 'docs/causes.md');
    const current = readFileSync('docs/causes.md', 'utf8');
    const edited = current.replace('| `SUB_MISMATCH` |', '| `SUB_MISMATCHED` |');

    // Act
    const rendered = causes?.render(edited);

    // Assess
    expect(edited).not.toBe(current);
    expect(rendered).toBe(current);
  });
});
