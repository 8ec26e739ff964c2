/**
 * Hidden states: a units x timesteps heatmap per probe sequence and recurrent layer, with the tokens
 * under their columns, a diverging colour legend, a hover tooltip and one epoch slider for all of
 * them to watch the representation form.
 */
import type { LayerStates, ProbeSnapshot } from '../../../src/protocol';
import { cssColor, divergingColor, symmetricLimit } from '../colorScale';
import { el, setText } from '../dom';
import { formatValue, snapshotLabel } from '../format';
import type { ViewSettings } from '../host';
import type { ProbeEpoch, RunState } from '../state';
import type { Theme } from '../theme';
import { textWindow } from '../tokenWindow';

/** Cell width bounds (CSS px): wide enough to hover and label, narrow enough for T=40 to fit. */
const CELL_WIDTH = { min: 10, max: 26 };
const CELL_HEIGHT = { min: 4, max: 14 };
const TARGET_GRID_HEIGHT = 256;
const LABEL_FONT_PX = 11;
const TOKEN_LABEL_MAX_CHARS = 14;
const UNIT_AXIS_WIDTH = 44;

export interface HeatmapsActions {
  changeSettings(patch: Partial<ViewSettings>): void;
}

export class HeatmapsView {
  readonly element: HTMLElement;
  /** Canvases by `probeId/layer`, exposed to browser tests through window.__seqlab. */
  readonly heatmaps: Record<string, HTMLCanvasElement> = {};
  private readonly cards = new Map<string, HeatmapCard>();
  private readonly grid = el('div', { className: 'heatmap-grid' });
  private readonly empty = el('p', { className: 'empty', text: 'Hidden states appear with the first probe snapshot.' });
  private readonly slider: HTMLInputElement;
  private readonly sliderLabel = el('span', { className: 'slider-value' });
  private readonly sliderRow: HTMLElement;
  private readonly tooltip = el('div', { className: 'heatmap-tooltip', attrs: { role: 'tooltip' } });
  private snapshots: readonly ProbeEpoch[] = [];
  private limits = new Map<string, number>();

  constructor(private readonly actions: HeatmapsActions) {
    this.slider = el('input', { attrs: { type: 'range', min: '0', max: '0', step: '1', 'aria-label': 'Snapshot epoch' } });
    this.slider.addEventListener('input', () => {
      const index = Number(this.slider.value);
      // The last position means "follow the latest snapshot" while a run is streaming.
      const epoch = index >= this.snapshots.length - 1 ? null : this.snapshots[index].epoch;
      this.actions.changeSettings({ selectedEpoch: epoch });
    });
    this.sliderRow = el('label', { className: 'slider epoch-slider' }, 'Epoch', this.slider, this.sliderLabel);
    this.tooltip.hidden = true;
    this.element = el(
      'section',
      { className: 'hidden-states' },
      el('h2', { text: 'Hidden states' }),
      el('div', { className: 'controls' }, this.sliderRow),
      this.empty,
      this.grid,
      this.tooltip,
    );
  }

  update(state: RunState, settings: ViewSettings, theme: Theme, rebuild: boolean): void {
    if (state.snapshots !== this.snapshots) {
      this.snapshots = state.snapshots;
      this.limits = layerLimits(state.snapshots);
    }
    const count = this.snapshots.length;
    this.empty.hidden = count > 0;
    this.sliderRow.hidden = count === 0;
    if (count === 0) return;

    const found = this.snapshots.findIndex((snapshot) => snapshot.epoch === settings.selectedEpoch);
    const index = settings.selectedEpoch === null || found < 0 ? count - 1 : found;
    const snapshot = this.snapshots[index];
    this.slider.max = String(count - 1);
    this.slider.value = String(index);
    setText(this.sliderLabel, snapshotLabel(snapshot.epoch, state.run?.epochs));

    for (const probe of snapshot.probes) {
      for (const layer of probe.layers) {
        const key = `${probe.id}/${layer.layer}`;
        let card = this.cards.get(key);
        if (!card) {
          card = new HeatmapCard(key, this.tooltip);
          this.cards.set(key, card);
          this.grid.append(card.element);
          this.heatmaps[key] = card.canvas;
        }
        card.draw(probe, layer, snapshot.epoch, this.limits.get(layer.layer) ?? 1, theme, rebuild);
      }
    }
  }

  clear(): void {
    this.cards.clear();
    this.grid.replaceChildren();
    for (const key of Object.keys(this.heatmaps)) delete this.heatmaps[key];
  }
}

/** One symmetric colour range per layer over every snapshot and probe. */
function layerLimits(snapshots: readonly ProbeEpoch[]): Map<string, number> {
  const maxAbs = new Map<string, number>();
  for (const snapshot of snapshots) {
    for (const [layer, max] of snapshotMaxAbs(snapshot)) maxAbs.set(layer, Math.max(maxAbs.get(layer) ?? 0, max));
  }
  return new Map([...maxAbs].map(([layer, max]) => [layer, symmetricLimit(max)]));
}

/** Snapshots never change once received: scan each one once, not on every new epoch. */
const maxAbsCache = new WeakMap<ProbeEpoch, Map<string, number>>();

function snapshotMaxAbs(snapshot: ProbeEpoch): Map<string, number> {
  let maxAbs = maxAbsCache.get(snapshot);
  if (!maxAbs) {
    maxAbs = new Map();
    for (const probe of snapshot.probes) {
      for (const layer of probe.layers) {
        let max = maxAbs.get(layer.layer) ?? 0;
        for (const row of layer.states) for (const value of row) if (Math.abs(value) > max) max = Math.abs(value);
        maxAbs.set(layer.layer, max);
      }
    }
    maxAbsCache.set(snapshot, maxAbs);
  }
  return maxAbs;
}

interface Geometry {
  cellWidth: number;
  cellHeight: number;
  left: number;
  top: number;
  timesteps: number;
  units: number;
  /** Timestep of the first column (padding before the text is not drawn). */
  first: number;
}

class HeatmapCard {
  readonly element: HTMLElement;
  readonly canvas = el('canvas', { className: 'heatmap-canvas', attrs: { role: 'img' } });
  private readonly title = el('h3');
  private readonly prediction = el('span', { className: 'prediction' });
  private readonly scroller: HTMLElement;
  /** Outline of the hovered cell, over the canvas (redrawing the canvas per mouse move would be wasteful). */
  private readonly highlight = el('div', { className: 'cell-highlight' });
  private readonly legendBar = el('div', { className: 'legend-bar' });
  private readonly legendLabels = el('div', { className: 'legend-labels' });
  private drawnKey = '';
  private probe?: ProbeSnapshot;
  private layer?: LayerStates;
  private geometry?: Geometry;
  private redraw?: () => void;

  constructor(
    key: string,
    private readonly tooltip: HTMLElement,
  ) {
    this.canvas.dataset.key = key;
    this.scroller = el('div', { className: 'heatmap-scroller' }, this.canvas, this.highlight);
    this.element = el(
      'div',
      { className: 'heatmap-card' },
      el('div', { className: 'heatmap-heading' }, this.title, this.prediction),
      this.scroller,
      el('div', { className: 'legend' }, this.legendBar, this.legendLabels),
    );
    // Cell widths follow the card's width (the grid reflows as cards are added or the panel resizes).
    new ResizeObserver(() => this.redraw?.()).observe(this.scroller);
    this.canvas.addEventListener('mousemove', (event) => this.hover(event));
    this.canvas.addEventListener('mouseleave', () => this.hideHover());
    this.highlight.hidden = true;
  }

  draw(probe: ProbeSnapshot, layer: LayerStates, epoch: number, limit: number, theme: Theme, force: boolean): void {
    const available = (this.scroller.clientWidth || 800) - UNIT_AXIS_WIDTH - 8;
    const key = `${epoch}/${limit}/${theme.kind}/${available}`;
    if (!force && key === this.drawnKey) return;
    this.drawnKey = key;
    this.probe = probe;
    this.layer = layer;
    this.redraw = () => this.draw(probe, layer, epoch, limit, theme, false);
    const shown = textWindow(probe.tokens);
    const hidden = probe.tokens.length - (shown.end - shown.start);
    setText(this.title, `${probe.label} · ${layer.layer}`);
    this.title.title = hidden > 0 ? `${hidden} padding timesteps are not drawn` : '';
    setText(this.prediction, predictionText(probe.prediction));
    this.drawLegend(limit, theme);

    const states = layer.states.slice(shown.start, shown.end);
    const timesteps = states.length;
    const units = states[0]?.length ?? 0;
    const cellWidth = clamp(Math.floor(available / Math.max(timesteps, 1)), CELL_WIDTH.min, CELL_WIDTH.max);
    const cellHeight = clamp(Math.floor(TARGET_GRID_HEIGHT / Math.max(units, 1)), CELL_HEIGHT.min, CELL_HEIGHT.max);
    const labels = probe.tokens.slice(shown.start, shown.end).map(truncateToken);
    const context = this.canvas.getContext('2d');
    if (!context) return;
    context.font = `${LABEL_FONT_PX}px ${theme.fontFamily}`;
    const labelHeight = Math.ceil(Math.max(0, ...labels.map((label) => context.measureText(label).width))) + 8;
    const geometry: Geometry = { cellWidth, cellHeight, left: UNIT_AXIS_WIDTH, top: 4, timesteps, units, first: shown.start };
    this.geometry = geometry;

    const width = geometry.left + timesteps * cellWidth + 8;
    const height = geometry.top + units * cellHeight + labelHeight;
    // Back the canvas with device pixels so cells and text stay crisp on HiDPI screens.
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    Object.assign(this.canvas.dataset, {
      epoch: String(epoch),
      units: String(units),
      timesteps: String(timesteps),
      firstTimestep: String(shown.start),
    });
    this.canvas.setAttribute(
      'aria-label',
      `Hidden states of ${layer.layer} for "${probe.label}", ${snapshotLabel(epoch)}: ${units} units by ${timesteps} timesteps`,
    );

    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    // One pixel per cell, scaled up without smoothing: 50x faster than a fillRect per cell at T=200.
    context.imageSmoothingEnabled = false;
    const bitmap = cellImage(states, units, limit, theme);
    context.drawImage(bitmap, geometry.left, geometry.top, timesteps * cellWidth, units * cellHeight);
    this.drawAxes(context, labels, geometry, theme);
  }

  private drawAxes(context: CanvasRenderingContext2D, labels: string[], g: Geometry, theme: Theme): void {
    context.font = `${LABEL_FONT_PX}px ${theme.fontFamily}`;
    context.fillStyle = theme.mutedForeground;
    // Units on the vertical axis: label every k-th row so labels never overlap.
    context.textAlign = 'right';
    context.textBaseline = 'middle';
    const unitEvery = Math.ceil((LABEL_FONT_PX + 2) / g.cellHeight);
    for (let u = 0; u < g.units; u += unitEvery) {
      context.fillText(String(u), g.left - 6, g.top + (u + 0.5) * g.cellHeight);
    }
    context.save();
    context.translate(12, g.top + (g.units * g.cellHeight) / 2);
    context.rotate(-Math.PI / 2);
    context.textAlign = 'center';
    context.fillText('unit', 0, 0);
    context.restore();

    // Tokens under their columns, rotated; skipped when columns are narrower than a line of text.
    const tokenEvery = Math.ceil((LABEL_FONT_PX + 1) / g.cellWidth);
    const baseline = g.top + g.units * g.cellHeight + 4;
    context.fillStyle = theme.foreground;
    context.textAlign = 'right';
    context.textBaseline = 'middle';
    for (let t = 0; t < g.timesteps; t += tokenEvery) {
      context.save();
      context.translate(g.left + (t + 0.5) * g.cellWidth, baseline);
      context.rotate(-Math.PI / 2);
      context.fillText(labels[t] ?? '', 0, 0);
      context.restore();
    }
  }

  private drawLegend(limit: number, theme: Theme): void {
    const stops = [-1, -0.5, 0, 0.5, 1].map((p, i) => `${cssColor(divergingColor(p * limit, limit, theme.heatmap))} ${i * 25}%`);
    this.legendBar.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
    this.legendLabels.replaceChildren(
      el('span', { text: formatValue(-limit) }),
      el('span', { text: '0' }),
      el('span', { text: formatValue(limit) }),
    );
  }

  private hideHover(): void {
    this.tooltip.hidden = true;
    this.highlight.hidden = true;
  }

  private hover(event: MouseEvent): void {
    const { geometry: g, layer, probe } = this;
    if (!g || !layer || !probe) return;
    const t = Math.floor((event.offsetX - g.left) / g.cellWidth);
    const u = Math.floor((event.offsetY - g.top) / g.cellHeight);
    if (t < 0 || t >= g.timesteps || u < 0 || u >= g.units) {
      this.hideHover();
      return;
    }
    Object.assign(this.highlight.style, {
      left: `${g.left + t * g.cellWidth - 1}px`,
      top: `${g.top + u * g.cellHeight - 1}px`,
      width: `${g.cellWidth + 2}px`,
      height: `${g.cellHeight + 2}px`,
    });
    this.highlight.hidden = false;
    const step = g.first + t;
    const token = probe.tokens[step];
    this.tooltip.replaceChildren(
      el('strong', { text: token ? `“${token}”` : '(padding)' }),
      el('span', { text: `timestep ${step} · unit ${u}` }),
      el('span', { text: `value ${formatValue(layer.states[step][u])}` }),
    );
    this.tooltip.hidden = false;
    this.tooltip.style.left = `${event.clientX + 14}px`;
    this.tooltip.style.top = `${event.clientY + 14}px`;
  }
}

/** The states as a timesteps x units bitmap (x = timestep, y = unit), one pixel per cell. */
function cellImage(states: number[][], units: number, limit: number, theme: Theme): HTMLCanvasElement {
  const timesteps = states.length;
  const image = new ImageData(Math.max(timesteps, 1), Math.max(units, 1));
  for (let t = 0; t < timesteps; t++) {
    for (let u = 0; u < units; u++) {
      const [r, g, b] = divergingColor(states[t][u], limit, theme.heatmap);
      const offset = (u * timesteps + t) * 4;
      image.data[offset] = r;
      image.data[offset + 1] = g;
      image.data[offset + 2] = b;
      image.data[offset + 3] = 255;
    }
  }
  const bitmap = document.createElement('canvas');
  bitmap.width = image.width;
  bitmap.height = image.height;
  bitmap.getContext('2d')?.putImageData(image, 0, 0);
  return bitmap;
}

function predictionText(prediction: number[] | undefined): string {
  if (!prediction || prediction.length === 0) return '';
  if (prediction.length === 1) return `prediction ${formatValue(prediction[0])}`;
  const best = prediction.indexOf(Math.max(...prediction));
  return `prediction: class ${best} (${formatValue(prediction[best])})`;
}

function truncateToken(token: string): string {
  return token.length > TOKEN_LABEL_MAX_CHARS ? `${token.slice(0, TOKEN_LABEL_MAX_CHARS - 1)}…` : token;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
