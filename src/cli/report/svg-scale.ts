/**
 * Axis arithmetic for the report's SVG charts.
 */

/** A "nice" step (1, 2 or 5 × 10ⁿ) close to `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0)) {
    return 1;
  }
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / magnitude;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return Math.max(1, nice * magnitude);
}

/** Ticks from 0 to a nice maximum ≥ `max`, about `count` of them (integers: counts). */
export function niceTicks(max: number, count = 5): number[] {
  const step = niceStep(Math.max(max, 1) / count);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks: number[] = [];
  for (let v = 0; v <= top; v += step) {
    ticks.push(v);
  }
  return ticks;
}

/** Rounds a coordinate to 2 decimals, keeping the markup short. */
export function px(n: number): string {
  return String(Math.round(n * 100) / 100);
}
