/**
 * The representation map (the TensorBoard Embedding Projector's PCA, per epoch): the final hidden
 * state of a fixed sample of validation sequences projected on its two principal axes and coloured
 * by label or target, so one can watch the classes separate as training goes. Hover shows a
 * sequence's text; a click opens it in the probe.
 */
import type { RepresentationEvent, RepresentationSample } from '../../../src/protocol';
import { CATEGORY_COLOURS, cssColor, rampColor, sequentialPalette } from '../colorScale';
import { el, setText } from '../dom';
import { sectionPlaceholder } from '../sectionStatus';
import { shownEpoch, unionEpochs } from '../epochs';
import { formatValue, snapshotLabel } from '../format';
import { scheduleDraw, type DrawJob } from '../frameBudget';
import type { ViewSettings } from '../host';
import type { RunState } from '../state';
import type { Theme } from '../theme';
import { EpochSlider } from './epochSlider';

const HEIGHT = 360;
const MARGIN = 28;
const RADIUS = 3.5;
const HOVER_PX = 8;

export interface RepresentationActions {
  changeSettings(patch: Partial<ViewSettings>): void;
  /** Puts a sequence's text in the probe box and runs it. */
  openInProbe(text: string): void;
}

export class RepresentationView implements DrawJob {
  readonly element: HTMLElement;
  readonly canvas = el('canvas', { className: 'map-canvas', attrs: { role: 'img' } });
  private readonly slider: EpochSlider;
  private readonly caption = el('p', { className: 'muted view-note' });
  private readonly legend = el('div', { className: 'map-legend' });
  private readonly empty = el('p', { className: 'empty' });
  private readonly tip = el('div', { className: 'map-tooltip', attrs: { role: 'tooltip' } });
  private readonly frame: HTMLElement;
  private event?: RepresentationEvent;
  private sample?: RepresentationSample;
  private theme?: Theme;
  private width = 0;
  /** Canvas positions of the drawn points, for hover and click. */
  private positions: Float32Array = new Float32Array(0);
  private hovered = -1;
  private drawnKey = '';

  constructor(private readonly actions: RepresentationActions) {
    this.slider = new EpochSlider((selectedEpoch) => actions.changeSettings({ selectedEpoch }));
    this.frame = el('div', { className: 'map-frame' }, this.canvas);
    this.tip.hidden = true;
    this.element = el(
      'section',
      { className: 'representation' },
      el('h2', { text: 'Representation map' }),
      el('div', { className: 'controls' }, this.slider.element),
      this.caption,
      this.empty,
      el('div', { className: 'chart-card' }, this.frame, this.legend),
      this.tip,
    );
    new ResizeObserver(([entry]) => {
      const width = Math.floor(entry.contentRect.width);
      if (width !== this.width) {
        this.width = width;
        scheduleDraw(this);
      }
    }).observe(this.frame);
    this.canvas.addEventListener('mousemove', (event) => this.hover(event));
    this.canvas.addEventListener('mouseleave', () => this.setHovered(-1));
    this.canvas.addEventListener('click', () => {
      const text = this.sample?.texts[this.hovered];
      if (this.hovered >= 0 && text) this.actions.openInProbe(text);
    });
  }

  update(state: RunState, settings: ViewSettings, theme: Theme): void {
    const epochs = unionEpochs(state.representations);
    this.empty.hidden = epochs.length > 0;
    setText(this.empty, sectionPlaceholder(state, 'representation'));
    this.slider.update(epochs, settings.selectedEpoch, state.run?.epochs);
    const epoch = shownEpoch(epochs, settings.selectedEpoch);
    const event = state.representations.find((r) => r.epoch === epoch);
    (this.element.querySelector('.chart-card') as HTMLElement).hidden = !event;
    if (!event || !state.representationSample) return;
    if (event === this.event && theme === this.theme && state.representationSample === this.sample) return;
    this.event = event;
    this.sample = state.representationSample;
    this.theme = theme;
    const [x, y] = event.explained.map((share) => `${Math.round(share * 100)}%`);
    setText(
      this.caption,
      `PCA of the final hidden state of ${event.layer} for ${this.sample.indices.length} validation sequences (the same ones every epoch), ${snapshotLabel(event.epoch, state.run?.epochs)}. The axes hold ${x} and ${y} of the variance. Hover a point to read its sequence; click it to probe it.`,
    );
    this.drawLegend(this.sample, theme);
    scheduleDraw(this);
  }

  isVisible(): boolean {
    return true;
  }

  draw(): void {
    const { event, sample, theme } = this;
    if (!event || !sample || !theme || this.width === 0) return;
    const key = `${event.epoch}/${theme.kind}/${this.width}/${this.hovered}`;
    if (key === this.drawnKey) return;
    this.drawnKey = key;
    const width = this.width;
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(HEIGHT * ratio);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${HEIGHT}px`;
    this.canvas.dataset.epoch = String(event.epoch);
    this.canvas.dataset.points = String(event.points.length / 2);
    this.canvas.setAttribute('aria-label', `Representation map, ${snapshotLabel(event.epoch)}: ${event.points.length / 2} sequences`);
    const context = this.canvas.getContext('2d');
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, HEIGHT);
    const n = event.points.length / 2;
    let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, event.points[2 * i]);
      maxX = Math.max(maxX, event.points[2 * i]);
      minY = Math.min(minY, event.points[2 * i + 1]);
      maxY = Math.max(maxY, event.points[2 * i + 1]);
    }
    const spanX = maxX - minX || 1;
    const spanY = maxY - minY || 1;
    const sx = (width - 2 * MARGIN) / spanX;
    const sy = (HEIGHT - 2 * MARGIN) / spanY;
    context.strokeStyle = theme.grid;
    context.strokeRect(MARGIN / 2, MARGIN / 2, width - MARGIN, HEIGHT - MARGIN);
    context.fillStyle = theme.mutedForeground;
    context.font = theme.font;
    context.fillText('PC1 →', width - MARGIN - 40, HEIGHT - 4);
    context.fillText('PC2 ↑', 4, MARGIN / 2 + 12);
    this.positions = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const px = MARGIN + (event.points[2 * i] - minX) * sx;
      const py = HEIGHT - MARGIN - (event.points[2 * i + 1] - minY) * sy;
      this.positions[2 * i] = px;
      this.positions[2 * i + 1] = py;
      context.beginPath();
      context.arc(px, py, i === this.hovered ? RADIUS + 2.5 : RADIUS, 0, 2 * Math.PI);
      context.fillStyle = pointColour(sample, i, theme);
      context.globalAlpha = 0.85;
      context.fill();
      if (i === this.hovered) {
        context.globalAlpha = 1;
        context.strokeStyle = theme.foreground;
        context.stroke();
      }
    }
    context.globalAlpha = 1;
  }

  clear(): void {
    this.event = undefined;
    this.sample = undefined;
    this.drawnKey = '';
  }

  private drawLegend(sample: RepresentationSample, theme: Theme): void {
    const colour = sample.colour;
    if (colour.kind === 'class') {
      this.legend.replaceChildren(
        ...colour.classes.map((name, i) => el('span', { className: 'map-key' }, swatch(CATEGORY_COLOURS[i % CATEGORY_COLOURS.length]), name)),
      );
    } else {
      const [min, max] = valueRange(colour.values);
      const palette = sequentialPalette(theme.kind);
      const bar = el('span', { className: 'legend-bar map-value-bar' });
      bar.style.background = `linear-gradient(to right, ${[0, 0.5, 1].map((p) => cssColor(rampColor(p, 0, 1, palette.slice(1)))).join(', ')})`;
      this.legend.replaceChildren(el('span', { text: `${colour.name} ${formatValue(min)}` }), bar, el('span', { text: formatValue(max) }));
    }
  }

  private hover(event: MouseEvent): void {
    let best = -1;
    let bestDistance = HOVER_PX * HOVER_PX;
    for (let i = 0; i < this.positions.length / 2; i++) {
      const distance = (this.positions[2 * i] - event.offsetX) ** 2 + (this.positions[2 * i + 1] - event.offsetY) ** 2;
      if (distance < bestDistance) {
        best = i;
        bestDistance = distance;
      }
    }
    this.setHovered(best, event);
  }

  private setHovered(index: number, event?: MouseEvent): void {
    if (index !== this.hovered) {
      this.hovered = index;
      scheduleDraw(this);
    }
    const sample = this.sample;
    if (index < 0 || !sample || !event) {
      this.tip.hidden = true;
      this.canvas.style.cursor = '';
      return;
    }
    this.canvas.style.cursor = 'pointer';
    this.tip.replaceChildren(
      el('strong', { text: labelOf(sample, index) }),
      el('span', { className: 'map-text', text: sample.texts[index] ?? '' }),
      el('span', { className: 'muted', text: `validation #${sample.indices[index]} · click to probe` }),
    );
    this.tip.hidden = false;
    this.tip.style.left = `${event.clientX + 14}px`;
    this.tip.style.top = `${event.clientY + 14}px`;
  }
}

function swatch(colour: string): HTMLElement {
  const element = el('span', { className: 'map-swatch' });
  element.style.background = colour;
  return element;
}

function labelOf(sample: RepresentationSample, index: number): string {
  const colour = sample.colour;
  return colour.kind === 'class' ? (colour.classes[colour.of[index]] ?? '') : `${colour.name} ${formatValue(colour.values[index])}`;
}

function pointColour(sample: RepresentationSample, index: number, theme: Theme): string {
  const colour = sample.colour;
  if (colour.kind === 'class') return CATEGORY_COLOURS[(colour.of[index] ?? 0) % CATEGORY_COLOURS.length];
  const [min, max] = valueRange(colour.values);
  return cssColor(rampColor(colour.values[index], min, max, sequentialPalette(theme.kind).slice(1)));
}

const ranges = new WeakMap<readonly number[], [number, number]>();

function valueRange(values: readonly number[]): [number, number] {
  let range = ranges.get(values);
  if (!range) {
    range = [Math.min(...values), Math.max(...values)];
    ranges.set(values, range);
  }
  return range;
}
