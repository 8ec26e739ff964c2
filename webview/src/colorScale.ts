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

/** Three stops from 0 to 1 for values with no sign (gates): the theme's neutral, then ever stronger. */
const SEQUENTIAL: Record<ThemeKind, readonly Rgb[]> = {
  light: [
    [247, 247, 247],
    [116, 169, 207],
    [8, 48, 107],
  ],
  dark: [
    [40, 40, 42],
    [44, 110, 150],
    [170, 220, 255],
  ],
  'high-contrast': [
    [0, 0, 0],
    [0, 110, 170],
    [120, 220, 255],
  ],
};

export function sequentialPalette(kind: ThemeKind): readonly Rgb[] {
  return SEQUENTIAL[kind];
}

/** Colour of `value` on [min, max] along `palette` (any number of stops); clamps, NaN gets the first stop. */
export function rampColor(value: number, min: number, max: number, palette: readonly Rgb[]): Rgb {
  if (!Number.isFinite(value) || !(max > min)) return palette[0];
  const position = Math.min(Math.max((value - min) / (max - min), 0), 1);
  const scaled = position * (palette.length - 1);
  const index = Math.min(Math.floor(scaled), palette.length - 2);
  const t = scaled - index;
  const [a, b] = [palette[index], palette[index + 1]];
  return [lerp(a[0], b[0], t), lerp(a[1], b[1], t), lerp(a[2], b[2], t)];
}

/** A colour scale of a heatmap: symmetric around 0 (states, candidates) or from min to max (gates). */
export type HeatmapScale = { kind: 'diverging'; limit: number } | { kind: 'sequential'; min: number; max: number };

export const LUT_SIZE = 256;

/**
 * The scale as 256 opaque RGBA pixels (packed for a little-endian `Uint32Array` view of ImageData)
 * and the map from a value to its entry: a heatmap of 12,800 cells is then 12,800 table lookups.
 */
export function colourTable(scale: HeatmapScale, kind: ThemeKind): { pixels: Uint32Array; index(value: number): number } {
  const [min, max] = scale.kind === 'diverging' ? [-scale.limit, scale.limit] : [scale.min, scale.max];
  const pixels = new Uint32Array(LUT_SIZE);
  for (let i = 0; i < LUT_SIZE; i++) {
    const value = min + ((max - min) * i) / (LUT_SIZE - 1);
    const [r, g, b] = scale.kind === 'diverging' ? divergingColor(value, scale.limit, paletteFor(kind)) : rampColor(value, min, max, sequentialPalette(kind));
    pixels[i] = (255 << 24) | (b << 16) | (g << 8) | r;
  }
  const centre = scale.kind === 'diverging' ? (LUT_SIZE - 1) / 2 : 0;
  const step = (LUT_SIZE - 1) / (max - min || 1);
  return {
    pixels,
    index: (value) => (Number.isFinite(value) ? Math.min(Math.max(Math.round((value - min) * step), 0), LUT_SIZE - 1) : Math.round(centre)),
  };
}

/** Categorical colours (Tableau 10), readable on light and dark backgrounds alike. */
export const CATEGORY_COLOURS: readonly string[] = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
