/**
 * The one heatmap component of the panel: a timesteps x units matrix (hidden states, gates) drawn
 * on a canvas, tokens under their columns, units on the side, a colour legend, an optional strip of
 * one value per timestep under the grid (how much memory a layer keeps), and a hover tooltip that
 * follows the data: when the matrix changes under a resting pointer (the epoch slider moved), the
 * tooltip shows the new value.
 *
 * Cells are drawn as one pixel each through a 256-colour table and scaled up without smoothing;
 * drawing waits for an animation frame with time to spare (frameBudget.ts).
 */
import { colourTable, cssColor, divergingColor, paletteFor, rampColor, sequentialPalette, type HeatmapScale } from '../colorScale';
import { el, setText } from '../dom';
import { formatValue } from '../format';
import { scheduleDraw, type DrawJob } from '../frameBudget';
import type { Theme } from '../theme';

const CELL_WIDTH = { min: 4, max: 26 };
const CELL_HEIGHT = { min: 3, max: 14 };
const LABEL_FONT_PX = 11;
const TOKEN_LABEL_MAX_CHARS = 14;
/** Left margin for unit numbers; browser tests locate cells with it. */
export const UNIT_AXIS_WIDTH = 44;
const TOP = 4;
const STRIP_HEIGHT = 26;

/** A matrix of `rows` timesteps x `cols` units, `values[t * cols + u]`. */
export interface HeatmapMatrix {
  rows: number;
  cols: number;
  values: Float32Array;
}

/** Values per shown timestep in [0, 1], drawn as bars under the grid. */
export interface HeatmapStrip {
  label: string;
  /** Tooltip wording of one value, e.g. `memory kept (mean forget gate)`. */
  quantity: string;
  values: readonly number[];
}

export interface HeatmapContent {
  title: string;
  /** Right of the title: a prediction, a direction... */
  detail?: string;
  matrix: HeatmapMatrix;
  /** The token under each shown timestep (`matrix.rows` of them). */
  tokens: readonly string[];
  /** Input timestep of the first row (padding before the text is not drawn). */
  firstTimestep: number;
  scale: HeatmapScale;
  /** What a value is, for the tooltip: `state`, `forget gate`... */
  quantity: string;
  /** Height the grid aims for, in CSS px (gates are drawn smaller than states). */
  gridHeight: number;
  strip?: HeatmapStrip;
  /** Snapshot epoch (-1 before training), written to the canvas for tests; absent for a saved model. */
  epoch?: number;
  /** Which weights, in words, for the tooltip: `after epoch 3 of 5`, `saved model`. */
  when: string;
  ariaLabel: string;
}

interface Geometry {
  cellWidth: number;
  cellHeight: number;
  left: number;
  top: number;
  rows: number;
  cols: number;
  /** Top of the strip, when there is one. */
  stripTop?: number;
}

interface Hover {
  t: number;
  /** A unit, or -1 for the strip. */
  u: number;
  clientX: number;
  clientY: number;
}

let sharedTooltip: HTMLElement | undefined;

/** One tooltip for every heatmap of the page (only one is hovered at a time). */
function tooltip(): HTMLElement {
  if (!sharedTooltip) {
    sharedTooltip = el('div', { className: 'heatmap-tooltip', attrs: { role: 'tooltip' } });
    sharedTooltip.hidden = true;
    document.body.append(sharedTooltip);
  }
  return sharedTooltip;
}

export class HeatmapCard implements DrawJob {
  readonly element: HTMLElement;
  readonly canvas = el('canvas', { className: 'heatmap-canvas', attrs: { role: 'img' } });
  private readonly title = el('h3');
  private readonly detail = el('span', { className: 'prediction' });
  private readonly scroller: HTMLElement;
  private readonly highlight = el('div', { className: 'cell-highlight' });
  private readonly legendBar = el('div', { className: 'legend-bar' });
  private readonly legendLabels = el('div', { className: 'legend-labels' });
  private source?: object;
  private variant = '';
  private build?: () => HeatmapContent;
  private content?: HeatmapContent;
  private theme?: Theme;
  private geometry?: Geometry;
  private hovered?: Hover;
  /** Width available to the canvas, from the ResizeObserver (reading it while drawing would force layout). */
  private available = 0;
  private visible = false;
  private drawnKey = '';
  private drawnContent?: HeatmapContent;

  constructor(key: string, className = '') {
    this.canvas.dataset.key = key;
    this.scroller = el('div', { className: 'heatmap-scroller' }, this.canvas, this.highlight);
    this.element = el(
      'div',
      { className: `heatmap-card ${className}`.trim() },
      el('div', { className: 'heatmap-heading' }, this.title, this.detail),
      this.scroller,
      el('div', { className: 'legend' }, this.legendBar, this.legendLabels),
    );
    new ResizeObserver(([entry]) => {
      const width = Math.floor(entry.contentRect.width);
      if (width === this.available) return;
      this.available = width;
      this.request();
    }).observe(this.scroller);
    new IntersectionObserver(([entry]) => (this.visible = entry.isIntersecting)).observe(this.element);
    this.canvas.addEventListener('mousemove', (event) => this.hover(event));
    this.canvas.addEventListener('mouseleave', () => this.unhover());
    this.highlight.hidden = true;
  }

  /**
   * Shows what `build` makes of `source` (a snapshot's matrix, say), drawn in one of the next frames.
   * Nothing happens while `source`, `variant` (what else the picture depends on: a colour range, a
   * strip) and the theme stay the same, so views may call this on every render for free; `build`
   * runs only when the card is drawn.
   */
  show(source: object, variant: string, build: () => HeatmapContent, theme: Theme): void {
    if (source === this.source && variant === this.variant && theme === this.theme) return;
    this.source = source;
    this.variant = variant;
    this.build = build;
    this.content = undefined;
    this.theme = theme;
    this.request();
  }

  isVisible(): boolean {
    return this.visible;
  }

  draw(): void {
    const { theme } = this;
    if (!this.build || !theme || this.available === 0) return;
    const content = (this.content ??= this.build());
    const key = `${this.available}`;
    if (key === this.drawnKey && this.drawnContent === content) return;
    this.drawnKey = key;
    this.drawnContent = content;
    setText(this.title, content.title);
    setText(this.detail, content.detail ?? '');
    const { matrix } = content;
    const context = this.canvas.getContext('2d');
    if (!context) return;
    const labels = content.tokens.map(truncateToken);
    context.font = `${LABEL_FONT_PX}px ${theme.fontFamily}`;
    const labelHeight = Math.ceil(Math.max(0, ...labels.map((label) => textWidth(context, label)))) + 8;
    const cellWidth = clamp(Math.floor((this.available - UNIT_AXIS_WIDTH - 8) / Math.max(matrix.rows, 1)), CELL_WIDTH.min, CELL_WIDTH.max);
    const cellHeight = clamp(Math.floor(content.gridHeight / Math.max(matrix.cols, 1)), CELL_HEIGHT.min, CELL_HEIGHT.max);
    const gridBottom = TOP + matrix.cols * cellHeight;
    const g: Geometry = {
      cellWidth,
      cellHeight,
      left: UNIT_AXIS_WIDTH,
      top: TOP,
      rows: matrix.rows,
      cols: matrix.cols,
      ...(content.strip ? { stripTop: gridBottom + 4 } : {}),
    };
    this.geometry = g;
    const width = g.left + matrix.rows * cellWidth + 8;
    const height = gridBottom + (content.strip ? STRIP_HEIGHT + 6 : 0) + labelHeight;
    const ratio = window.devicePixelRatio || 1;
    // Resizing a canvas reallocates it and lays the page out again: only when the size changes.
    if (this.canvas.width !== Math.round(width * ratio) || this.canvas.height !== Math.round(height * ratio)) {
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(height * ratio);
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    Object.assign(this.canvas.dataset, {
      epoch: content.epoch === undefined ? '' : String(content.epoch),
      units: String(matrix.cols),
      timesteps: String(matrix.rows),
      firstTimestep: String(content.firstTimestep),
      cellHeight: String(cellHeight),
    });
    this.canvas.setAttribute('aria-label', content.ariaLabel);

    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    context.imageSmoothingEnabled = false;
    context.drawImage(cellImage(matrix, content.scale, theme), g.left, g.top, matrix.rows * cellWidth, matrix.cols * cellHeight);
    if (content.strip && g.stripTop !== undefined) drawStrip(context, content.strip, g, theme);
    drawAxes(context, labels, g, height - labelHeight + 4, theme);
    this.drawLegend(content.scale, theme);
    if (this.hovered) this.renderTooltip(); // the data under a resting pointer changed
  }

  private request(): void {
    scheduleDraw(this);
  }

  private drawLegend(scale: HeatmapScale, theme: Theme): void {
    const [min, max] = scale.kind === 'diverging' ? [-scale.limit, scale.limit] : [scale.min, scale.max];
    const colour = (p: number) =>
      cssColor(scale.kind === 'diverging' ? divergingColor(min + (max - min) * p, scale.limit, paletteFor(theme.kind)) : rampColor(p, 0, 1, sequentialPalette(theme.kind)));
    const stops = [0, 0.25, 0.5, 0.75, 1].map((p) => `${colour(p)} ${p * 100}%`);
    this.legendBar.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
    const labels = [formatValue(min), formatValue((min + max) / 2), formatValue(max)];
    if (this.legendLabels.textContent !== labels.join('')) this.legendLabels.replaceChildren(...labels.map((text) => el('span', { text })));
  }

  private hover(event: MouseEvent): void {
    const g = this.geometry;
    if (!g) return;
    const t = Math.floor((event.offsetX - g.left) / g.cellWidth);
    const inGrid = event.offsetY >= g.top && event.offsetY < g.top + g.cols * g.cellHeight;
    const inStrip = g.stripTop !== undefined && event.offsetY >= g.stripTop && event.offsetY < g.stripTop + STRIP_HEIGHT;
    if (t < 0 || t >= g.rows || !(inGrid || inStrip)) return this.unhover();
    const u = inGrid ? Math.floor((event.offsetY - g.top) / g.cellHeight) : -1;
    this.hovered = { t, u, clientX: event.clientX, clientY: event.clientY };
    this.renderTooltip();
  }

  private unhover(): void {
    this.hovered = undefined;
    this.highlight.hidden = true;
    tooltip().hidden = true;
  }

  /** The tooltip of the hovered cell, from the content shown now. */
  private renderTooltip(): void {
    const { hovered: h, geometry: g, content } = this;
    if (!h || !g || !content || h.t >= g.rows || h.u >= g.cols) return this.unhover();
    const top = h.u >= 0 ? g.top + h.u * g.cellHeight : (g.stripTop ?? 0);
    Object.assign(this.highlight.style, {
      left: `${g.left + h.t * g.cellWidth - 1}px`,
      top: `${top - 1}px`,
      width: `${g.cellWidth + 2}px`,
      height: `${(h.u >= 0 ? g.cellHeight : STRIP_HEIGHT) + 2}px`,
    });
    this.highlight.hidden = false;
    const token = content.tokens[h.t];
    const step = content.firstTimestep + h.t;
    const value =
      h.u >= 0
        ? `${content.quantity} ${formatValue(content.matrix.values[h.t * content.matrix.cols + h.u])}`
        : `${content.strip?.quantity ?? ''} ${formatValue(content.strip?.values[h.t])}`;
    const box = tooltip();
    box.replaceChildren(
      el('strong', { text: token ? `“${token}”` : '(padding)' }),
      el('span', { text: h.u >= 0 ? `timestep ${step} · unit ${h.u}` : `timestep ${step}` }),
      el('span', { text: value }),
      el('span', { className: 'muted', text: content.when }),
    );
    box.hidden = false;
    box.style.left = `${h.clientX + 14}px`;
    box.style.top = `${h.clientY + 14}px`;
  }
}

/** The matrix as a rows x cols bitmap (x = timestep, y = unit), one pixel per cell. */
function cellImage(matrix: HeatmapMatrix, scale: HeatmapScale, theme: Theme): HTMLCanvasElement {
  const { rows, cols, values } = matrix;
  const table = colourTable(scale, theme.kind);
  const image = new ImageData(Math.max(rows, 1), Math.max(cols, 1));
  const pixels = new Uint32Array(image.data.buffer);
  for (let t = 0; t < rows; t++) {
    for (let u = 0; u < cols; u++) pixels[u * rows + t] = table.pixels[table.index(values[t * cols + u])];
  }
  const bitmap = document.createElement('canvas');
  bitmap.width = image.width;
  bitmap.height = image.height;
  bitmap.getContext('2d')?.putImageData(image, 0, 0);
  return bitmap;
}

function drawStrip(context: CanvasRenderingContext2D, strip: HeatmapStrip, g: Geometry, theme: Theme): void {
  const top = g.stripTop ?? 0;
  context.fillStyle = theme.grid;
  context.fillRect(g.left, top, g.rows * g.cellWidth, STRIP_HEIGHT);
  context.fillStyle = theme.train;
  strip.values.forEach((value, t) => {
    const height = Math.max(0, Math.min(1, value)) * STRIP_HEIGHT;
    context.fillRect(g.left + t * g.cellWidth + (g.cellWidth > 3 ? 0.5 : 0), top + STRIP_HEIGHT - height, Math.max(1, g.cellWidth - (g.cellWidth > 3 ? 1 : 0)), height);
  });
  context.font = `${LABEL_FONT_PX - 1}px ${theme.fontFamily}`;
  context.fillStyle = theme.mutedForeground;
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  context.fillText(strip.label, g.left - 6, top + STRIP_HEIGHT / 2);
}

function drawAxes(context: CanvasRenderingContext2D, labels: string[], g: Geometry, baseline: number, theme: Theme): void {
  context.font = `${LABEL_FONT_PX}px ${theme.fontFamily}`;
  context.fillStyle = theme.mutedForeground;
  // Units on the vertical axis: label every k-th row so labels never overlap.
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  const unitEvery = Math.ceil((LABEL_FONT_PX + 2) / g.cellHeight);
  for (let u = 0; u < g.cols; u += unitEvery) context.fillText(String(u), g.left - 6, g.top + (u + 0.5) * g.cellHeight);
  context.save();
  context.translate(12, g.top + (g.cols * g.cellHeight) / 2);
  context.rotate(-Math.PI / 2);
  context.textAlign = 'center';
  context.fillText('unit', 0, 0);
  context.restore();

  // Tokens under their columns, rotated; every k-th when columns are narrower than a line of text.
  const tokenEvery = Math.ceil((LABEL_FONT_PX + 1) / g.cellWidth);
  context.fillStyle = theme.foreground;
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  const ratio = window.devicePixelRatio || 1;
  for (let t = 0; t < g.rows; t += tokenEvery) {
    // Rotated a quarter turn anticlockwise about the label's anchor (cheaper than save/rotate/restore).
    context.setTransform(0, -ratio, ratio, 0, (g.left + (t + 0.5) * g.cellWidth) * ratio, baseline * ratio);
    context.fillText(labels[t] ?? '', 0, 0);
  }
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
}

/** Label widths by font and text: the same tokens label every heatmap of a probe, epoch after epoch. */
const textWidths = new Map<string, number>();

function textWidth(context: CanvasRenderingContext2D, text: string): number {
  const key = `${context.font}\n${text}`;
  let width = textWidths.get(key);
  if (width === undefined) {
    if (textWidths.size > 20_000) textWidths.clear();
    width = context.measureText(text).width;
    textWidths.set(key, width);
  }
  return width;
}

function truncateToken(token: string): string {
  return token.length > TOKEN_LABEL_MAX_CHARS ? `${token.slice(0, TOKEN_LABEL_MAX_CHARS - 1)}…` : token;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
