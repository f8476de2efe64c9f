/**
 * The report's cause palette under colour-vision deficiency: causes drawn with the same pattern
 * must differ in colour for people with protanopia, deuteranopia and tritanopia too, and no two
 * causes may share a colour and a pattern. The Tableau-20 palette the report used before fails
 * this (near-identical pairs), which shows the check bites.
 */
import { describe, expect, it } from 'vitest';
import { CAUSE_STYLES, OKABE_ITO } from '../../../src/cli/report/palette.js';
import { FAILURE_CAUSES } from '../../../src/domain/causes.js';
import { deltaE, type Vision } from '../../helpers/color-vision.js';

const VISIONS: readonly Vision[] = ['normal', 'protanopia', 'deuteranopia', 'tritanopia'];
/** Two swatches this far apart (ΔE*ab) are not mistaken for each other at a glance. */
const DISTINCT = 10;

/** Pairs of colours, drawn with the same pattern, that someone with `vision` could confuse. */
function confusable(styles: readonly { name: string; color: string; pattern: string }[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < styles.length; i++)
    for (let j = i + 1; j < styles.length; j++) {
      const a = styles[i];
      const b = styles[j];
      if (a === undefined || b === undefined || a.pattern !== b.pattern) continue;
      for (const v of VISIONS) {
        const d = deltaE(a.color, b.color, v);
        if (d < DISTINCT) out.push(`${a.name}/${b.name} ${v} ΔE ${d.toFixed(1)}`);
      }
    }
  return out;
}

describe('cause palette', () => {
  it('gives every failure cause its own colour and pattern', () => {
    // Act
    const combos = FAILURE_CAUSES.map((c) => `${CAUSE_STYLES[c].color} ${CAUSE_STYLES[c].pattern}`);

    // Assess
    expect(new Set(combos).size).toBe(FAILURE_CAUSES.length);
    for (const c of FAILURE_CAUSES)
      expect(Object.values(OKABE_ITO)).toContain(CAUSE_STYLES[c].color);
  });

  it('keeps causes of one pattern apart for every colour vision', () => {
    // Prepare
    const styles = FAILURE_CAUSES.map((c) => ({ name: c, ...CAUSE_STYLES[c] }));

    // Act
    const pairs = confusable(styles);

    // Assess
    expect(pairs).toEqual([]);
  });

  it('would reject the former Tableau-20 palette, whose pairs run together', () => {
    // Prepare: seven of the former colours, all solid
    const former = [
      ['SUB_MISMATCH', '#d62728'],
      ['AUDIENCE_MISMATCH', '#ff7f0e'],
      ['WRONG_ACTION', '#7f7f7f'],
      ['ROLE_NOT_FOUND', '#2ca02c'],
      ['ROLE_UNRESOLVED', '#aec7e8'],
      ['INVALID_REQUEST', '#c5b0d5'],
      ['MISSING_TAG_SESSION', '#c49c94'],
    ].map(([name, color]) => ({ name: name as string, color: color as string, pattern: 'solid' }));

    // Act
    const pairs = confusable(former);

    // Assess
    expect(pairs.length).toBeGreaterThan(0);
  });
});
