/**
 * docs/on-call.md shows real pages: its example blocks equal what the renderers produce from the
 * fixtures today.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { onCallExamples, withExamples } from '../../fixtures/page/on-call-examples.js';

const DOC = new URL('../../../docs/on-call.md', import.meta.url);

describe('docs/on-call.md', () => {
  it('holds every example, each as the renderers produce it (npx tsx scripts/generate-on-call-doc.ts)', () => {
    // Prepare
    const doc = readFileSync(DOC, 'utf8');

    // Act
    const regenerated = withExamples(doc);

    // Assess
    for (const name of Object.keys(onCallExamples()))
      expect(doc, `example ${name}`).toContain(`<!-- example:${name} -->`);
    expect(regenerated).toBe(doc);
  });

  it('refuses an example name the fixtures do not render', () => {
    // Prepare
    const doc = '<!-- example:nope -->\n<!-- /example:nope -->';

    // Act
    const render = () => withExamples(doc);

    // Assess
    expect(render).toThrow('unknown example "nope"');
  });
});
