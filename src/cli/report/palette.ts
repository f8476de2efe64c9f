/**
 * How each cause is drawn, the same in every chart and table: a colour of the Okabe–Ito palette
 * (designed to stay distinct under protanopia, deuteranopia and tritanopia) and, because seven
 * colours cannot tell seventeen causes apart, a fill pattern (solid, stripes, dots). The cause's
 * code is always written beside its swatch, so no reading depends on colour alone.
 * {@link https://jfly.uni-koeln.de/color/ | Okabe & Ito, Color Universal Design}
 */
import type { Cause } from '../../domain/causes.js';

/** The Okabe–Ito colours used (black is left out: patterns would not show on it). */
export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;

/** A fill pattern over the colour. */
export type FillPattern = 'solid' | 'stripes' | 'dots';

/** The colour and pattern of a cause. */
export interface CauseStyle {
  readonly color: string;
  readonly pattern: FillPattern;
}

const O = OKABE_ITO;

/**
 * The style of each cause: the common causes solid, the rarer ones striped or dotted; no two
 * causes share a colour and a pattern.
 */
export const CAUSE_STYLES: Readonly<Record<Cause, CauseStyle>> = {
  SUB_MISMATCH: { color: O.vermillion, pattern: 'solid' },
  AUDIENCE_MISMATCH: { color: O.orange, pattern: 'solid' },
  MISSING_OIDC_PROVIDER: { color: O.blue, pattern: 'solid' },
  ROLE_NOT_FOUND: { color: O.bluishGreen, pattern: 'solid' },
  UNVERIFIABLE_CONDITION: { color: O.reddishPurple, pattern: 'solid' },
  DENIED_OUTSIDE_TRUST_POLICY: { color: O.skyBlue, pattern: 'solid' },
  EXPIRED_TOKEN: { color: O.yellow, pattern: 'solid' },
  WRONG_ACTION: { color: O.vermillion, pattern: 'stripes' },
  EXPLICIT_DENY: { color: O.orange, pattern: 'stripes' },
  THUMBPRINT_MISMATCH: { color: O.blue, pattern: 'stripes' },
  ROLE_UNRESOLVED: { color: O.bluishGreen, pattern: 'stripes' },
  WRONG_PROVIDER_PRINCIPAL: { color: O.reddishPurple, pattern: 'stripes' },
  IDP_ERROR: { color: O.skyBlue, pattern: 'stripes' },
  INVALID_TOKEN: { color: O.yellow, pattern: 'stripes' },
  INVALID_REQUEST: { color: O.orange, pattern: 'dots' },
  MISSING_TAG_SESSION: { color: O.blue, pattern: 'dots' },
  ENRICHMENT_FAILED: { color: O.bluishGreen, pattern: 'dots' },
  SUCCESS: { color: O.bluishGreen, pattern: 'solid' },
  IGNORED: { color: '#B0B0B0', pattern: 'solid' },
  MALFORMED_EVENT: { color: '#616161', pattern: 'solid' },
};

/** Base colour of each cause (what a pattern is drawn over). */
export const CAUSE_COLORS: Readonly<Record<Cause, string>> = Object.fromEntries(
  Object.entries(CAUSE_STYLES).map(([cause, s]) => [cause, s.color])
) as Record<Cause, string>;

/** The SVG `fill` of a cause: its pattern (defined once per page by {@link causePatternDefs}). */
export function causeFill(cause: Cause): string {
  return CAUSE_STYLES[cause].pattern === 'solid'
    ? CAUSE_STYLES[cause].color
    : `url(#fill-${cause})`;
}

function pattern(cause: Cause, s: CauseStyle): string {
  const mark =
    s.pattern === 'stripes'
      ? '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="#000" stroke-opacity=".55" stroke-width="1.6"/>'
      : '<circle cx="3" cy="3" r="1.4" fill="#000" fill-opacity=".6"/>';
  return (
    `<pattern id="fill-${cause}" width="6" height="6" patternUnits="userSpaceOnUse">` +
    `<rect width="6" height="6" fill="${s.color}"/>${mark}</pattern>`
  );
}

/** One hidden SVG holding the patterns every chart and swatch of the page refers to. */
export function causePatternDefs(): string {
  const defs = Object.entries(CAUSE_STYLES)
    .filter(([, s]) => s.pattern !== 'solid')
    .map(([cause, s]) => pattern(cause as Cause, s))
    .join('');
  return `<svg class="defs" width="0" height="0" aria-hidden="true" focusable="false"><defs>${defs}</defs></svg>`;
}

/** A cause's swatch as inline SVG (colour and pattern). */
export function causeSwatch(cause: Cause): string {
  return `<svg class="swatch" viewBox="0 0 12 12" aria-hidden="true" data-pattern="${CAUSE_STYLES[cause].pattern}"><rect width="12" height="12" rx="2" fill="${causeFill(cause)}"/></svg>`;
}
