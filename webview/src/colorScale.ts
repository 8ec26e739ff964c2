/**
 * The diverging colour scale of the hidden-state heatmaps: blue for negative, a neutral centre at 0,
 * red for positive, symmetric around 0 so the sign of an activation reads at a glance. Pure, no DOM.
 */
export type Rgb = readonly [number, number, number];
export type ThemeKind = 'light' | 'dark' | 'high-contrast';

/** Five stops from -limit to +limit. The centre matches the theme so zero reads as "nothing". */
const PALETTES: Record<ThemeKind, readonly Rgb[]> = {
  // ColorBrewer RdBu, the classic diverging scale for light backgrounds.
  light: [
    [33, 102, 172],
    [103, 169, 207],
    [247, 247, 247],
    [239, 138, 98],
    [178, 24, 43],
  ],
  // Dark centre, bright ends: a white centre would glare on a dark editor.
  dark: [
    [107, 174, 240],
    [44, 95, 138],
    [40, 40, 42],
    [138, 48, 44],
    [244, 115, 107],
  ],
  'high-contrast': [
    [0, 183, 255],
    [0, 80, 140],
    [0, 0, 0],
    [150, 20, 20],
    [255, 90, 80],
  ],
};

export function paletteFor(kind: ThemeKind): readonly Rgb[] {
  return PALETTES[kind];
}

/** Colour of `value` on [-limit, limit]; out-of-range values clamp, non-finite values get the centre. */
export function divergingColor(value: number, limit: number, palette: readonly Rgb[]): Rgb {
  const centre = palette[(palette.length - 1) / 2];
  if (!Number.isFinite(value) || !(limit > 0)) return centre;
  const position = (Math.min(Math.max(value / limit, -1), 1) + 1) / 2; // 0..1
  const scaled = position * (palette.length - 1);
  const index = Math.min(Math.floor(scaled), palette.length - 2);
  const t = scaled - index;
  const [a, b] = [palette[index], palette[index + 1]];
  return [lerp(a[0], b[0], t), lerp(a[1], b[1], t), lerp(a[2], b[2], t)];
}

function lerp(a: number, b: number, t: number): number {
  return Math.round(a + (b - a) * t);
}

/**
 * The symmetric range for a layer's states: [-1, 1] for tanh-bounded states (SimpleRNN, LSTM, GRU
 * outputs), widened to a round number when an activation such as relu goes beyond it. One limit per
 * layer across all epochs, so scrubbing the epoch slider compares like with like.
 */
export function symmetricLimit(maxAbs: number): number {
  if (!Number.isFinite(maxAbs) || maxAbs <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(maxAbs));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * magnitude >= maxAbs) return step * magnitude;
  }
  return 10 * magnitude;
}

export function cssColor([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}
