/**
 * Colour distance as people with and without colour-vision deficiency see it: sRGB → linear RGB,
 * the simulation matrices of Machado, Oliveira & Fernandes (2009, severity 1.0) for protanopia,
 * deuteranopia and tritanopia, then CIELAB and the CIE76 difference ΔE*ab (≈ 2.3 is a just
 * noticeable difference; under ~10 two small swatches are easily confused).
 */

/** The visions compared. */
export type Vision = 'normal' | 'protanopia' | 'deuteranopia' | 'tritanopia';

const MACHADO: Readonly<Record<Exclude<Vision, 'normal'>, readonly number[][]>> = {
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};

function linear(hex: string): number[] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
}

function lab(rgb: readonly number[]): number[] {
  const [r, g, b] = rgb.map((v) => Math.min(1, Math.max(0, v))) as [number, number, number];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** How `hex` looks with `vision`, in CIELAB. */
export function seenAs(hex: string, vision: Vision): number[] {
  const rgb = linear(hex);
  if (vision === 'normal') return lab(rgb);
  const m = MACHADO[vision];
  return lab(m.map((row) => row.reduce((sum, k, i) => sum + k * (rgb[i] ?? 0), 0)));
}

/** ΔE*ab (CIE76) between two colours as seen with `vision`. */
export function deltaE(a: string, b: string, vision: Vision): number {
  const [l1, a1, b1] = seenAs(a, vision) as [number, number, number];
  const [l2, a2, b2] = seenAs(b, vision) as [number, number, number];
  return Math.hypot(l1 - l2, a1 - a2, b1 - b2);
}
