/**
 * Hidden states and gates: for each probe sequence and recurrent layer, a units x timesteps heatmap
 * of the hidden state with, beside it, one heatmap per gate (LSTM i, f, g, o; GRU z, r, h̃) and under
 * it the memory the layer keeps at each token (the mean forget or update gate). One epoch slider
 * moves them all, so one can watch the representation form.
 */
import type { GatesEvent, LayerGates, LayerStates, ProbeSnapshot } from '../../../src/protocol';
import { symmetricLimit } from '../colorScale';
import { el, setText } from '../dom';
import { sectionPlaceholder } from '../sectionStatus';
import { shownEpoch, unionEpochs } from '../epochs';
import { formatValue, snapshotLabel } from '../format';
import { decodeMatrix, gateScale, gateTitle, keepQuantity } from '../gateData';
import type { ViewSettings } from '../host';
import type { ProbeEpoch, RunState } from '../state';
import type { Theme } from '../theme';
import { textWindow } from '../tokenWindow';
import { checkbox, setChecked } from '../toolkit';
import { EpochSlider } from './epochSlider';
import { HeatmapCard, type HeatmapContent } from './heatmap';

const STATE_GRID_HEIGHT = 256;
const GATE_GRID_HEIGHT = 128;

export interface ProbeHeatmapsActions {
  changeSettings(patch: Partial<ViewSettings>): void;
}

export class ProbeHeatmapsView {
  readonly element: HTMLElement;
  /** Canvases by `probeId/layer` (states) and `probeId/layer/direction/gate`, for browser tests. */
  readonly heatmaps: Record<string, HTMLCanvasElement> = {};
  private readonly blocks = new Map<string, ProbeBlock>();
  private readonly list = el('div', { className: 'probe-blocks' });
  private readonly empty = el('p', { className: 'empty' });
  private readonly slider: EpochSlider;
  private readonly gatesToggle: HTMLElement;
  private snapshots: readonly ProbeEpoch[] = [];
  private limits = new Map<string, number>();

  constructor(actions: ProbeHeatmapsActions) {
    this.slider = new EpochSlider((selectedEpoch) => actions.changeSettings({ selectedEpoch }));
    this.gatesToggle = checkbox('Gates', true, (showGates) => actions.changeSettings({ showGates }));
    this.gatesToggle.hidden = true;
    this.element = el(
      'section',
      { className: 'hidden-states' },
      el('h2', { text: 'Hidden states and gates' }),
      el('div', { className: 'controls' }, this.slider.element, this.gatesToggle),
      this.empty,
      this.list,
    );
  }

  update(state: RunState, settings: ViewSettings, theme: Theme): void {
    if (state.snapshots !== this.snapshots) {
      this.snapshots = state.snapshots;
      this.limits = layerLimits(state.snapshots);
    }
    const epochs = unionEpochs(state.snapshots);
    this.empty.hidden = epochs.length > 0;
    setText(this.empty, sectionPlaceholder(state, 'hidden-states'));
    this.slider.update(epochs, settings.selectedEpoch, state.run?.epochs);
    this.gatesToggle.hidden = state.gates.length === 0;
    setChecked(this.gatesToggle, settings.showGates);
    const epoch = shownEpoch(epochs, settings.selectedEpoch);
    const snapshot = state.snapshots.find((s) => s.epoch === epoch);
    if (!snapshot) return;
    const gates = settings.showGates ? state.gates.find((g) => g.epoch === epoch) : undefined;
    for (const probe of snapshot.probes) {
      let block = this.blocks.get(probe.id);
      if (!block) {
        block = new ProbeBlock(probe.id, this.heatmaps);
        this.blocks.set(probe.id, block);
        this.list.append(block.element);
      }
      block.update(probe, probeGates(gates, probe.id), snapshot.epoch, this.limits, theme, state.run?.epochs);
    }
  }

  clear(): void {
    this.blocks.clear();
    this.list.replaceChildren();
    for (const key of Object.keys(this.heatmaps)) delete this.heatmaps[key];
  }
}

function probeGates(gates: GatesEvent | undefined, id: string): LayerGates[] {
  return gates?.probes.find((p) => p.id === id)?.layers ?? [];
}

/** One probe: its heading (label, prediction) and a row of heatmaps per layer. */
class ProbeBlock {
  readonly element: HTMLElement;
  private readonly title = el('h3');
  private readonly prediction = el('span', { className: 'prediction' });
  private readonly alternatives = el('div', { className: 'alternatives muted' });
  private readonly layers = el('div', { className: 'probe-layers' });
  private readonly cards = new Map<string, HeatmapCard>();
  private readonly rows = new Map<string, HTMLElement>();

  constructor(
    private readonly id: string,
    private readonly registry: Record<string, HTMLCanvasElement>,
  ) {
    this.element = el('div', { className: 'probe-block' }, el('div', { className: 'heatmap-heading' }, this.title, this.prediction), this.alternatives, this.layers);
  }

  update(probe: ProbeSnapshot, gates: LayerGates[], epoch: number, limits: Map<string, number>, theme: Theme, totalEpochs: number | undefined): void {
    setText(this.title, probe.label);
    setText(this.prediction, predictionText(probe));
    const others = probe.summary?.alternatives?.slice(1).map((a) => a.text) ?? [];
    setText(this.alternatives, others.length > 0 ? `then ${others.join(', ')}` : '');
    const shown = textWindow(probe.tokens);
    const tokens = probe.tokens.slice(shown.start, shown.end);
    const when = snapshotLabel(epoch, totalEpochs);
    const visible = new Set<string>();
    for (const layer of probe.layers) {
      const row = this.row(layer.layer);
      const layerGates = gates.filter((g) => g.layer === layer.layer);
      const keep = layerGates.find((g) => g.keep && g.direction === 'forward');
      const stateKey = `${this.id}/${layer.layer}`;
      visible.add(stateKey);
      const limit = limits.get(layer.layer) ?? 1;
      const strip = keep?.keep && keep.start === shown.start ? keep.keep : undefined;
      this.card(stateKey, row, 'state-card').show(layer, `${limit}/${strip ? 'kept' : ''}/${when}`, () => ({
          title: `${layer.layer} · hidden state h`,
          ...stateMatrix(layer, shown.start, shown.end),
          tokens,
          firstTimestep: shown.start,
          scale: { kind: 'diverging', limit },
          quantity: 'state',
          gridHeight: STATE_GRID_HEIGHT,
          ...(strip && keep ? { strip: { label: 'kept', quantity: keepQuantity(keep.cell), values: strip } } : {}),
          epoch,
          when,
          ariaLabel: `Hidden states of ${layer.layer} for "${probe.label}", ${when}: ${layer.units} units by ${shown.end - shown.start} timesteps`,
        }),
        theme,
      );
      for (const direction of layerGates) {
        for (const { gate, values } of direction.gates) {
          const key = `${this.id}/${layer.layer}/${direction.direction}/${gate}`;
          visible.add(key);
          const twoWay = layerGates.length > 1 ? ` (${direction.direction})` : '';
          this.card(key, row, 'gate-card').show(values, when, () => ({
              title: `${gateTitle(gate)}${twoWay}`,
              matrix: { rows: values.rows, cols: values.cols, values: decodeMatrix(values) },
              tokens: probe.tokens.slice(direction.start, direction.start + values.rows),
              firstTimestep: direction.start,
              scale: gateScale(values),
              quantity: gateTitle(gate),
              gridHeight: GATE_GRID_HEIGHT,
              epoch,
              when,
              ariaLabel: `${gateTitle(gate)}${twoWay} of ${layer.layer} for "${probe.label}", ${when}`,
            }),
            theme,
          );
        }
      }
    }
    // Gates switched off, or a snapshot without them: their cards go.
    for (const [key, card] of this.cards) {
      if (visible.has(key)) continue;
      card.element.remove();
      this.cards.delete(key);
      delete this.registry[key];
    }
  }

  private row(layer: string): HTMLElement {
    let row = this.rows.get(layer);
    if (!row) {
      row = el('div', { className: 'layer-cards' });
      this.rows.set(layer, row);
      this.layers.append(row);
    }
    return row;
  }

  private card(key: string, row: HTMLElement, className: string): HeatmapCard {
    let card = this.cards.get(key);
    if (!card) {
      card = new HeatmapCard(key, className);
      this.cards.set(key, card);
      row.append(card.element);
      this.registry[key] = card.canvas;
    }
    return card;
  }
}

/** The prediction as the worker formatted it; runs recorded before that get the raw numbers. */
function predictionText(probe: ProbeSnapshot): string {
  if (probe.summary) return `prediction: ${probe.summary.text}`;
  const prediction = probe.prediction;
  if (!prediction || prediction.length === 0) return '';
  if (prediction.length === 1) return `prediction ${formatValue(prediction[0])}`;
  const best = prediction.indexOf(Math.max(...prediction));
  return `prediction: class ${best} (${formatValue(prediction[best])})`;
}

function stateMatrix(layer: LayerStates, start: number, end: number): Pick<HeatmapContent, 'matrix'> {
  const rows = end - start;
  const cols = layer.states[start]?.length ?? 0;
  const values = new Float32Array(rows * cols);
  for (let t = 0; t < rows; t++) values.set(layer.states[start + t], t * cols);
  return { matrix: { rows, cols, values } };
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
        // Indexed loops: this scan of an epoch's 100k values runs while the epoch arrives.
        const { states } = layer;
        for (let t = 0; t < states.length; t++) {
          const row = states[t];
          for (let u = 0; u < row.length; u++) {
            const value = row[u] < 0 ? -row[u] : row[u];
            if (value > max) max = value;
          }
        }
        maxAbs.set(layer.layer, max);
      }
    }
    maxAbsCache.set(snapshot, maxAbs);
  }
  return maxAbs;
}
