/**
 * Probe it yourself: type a sentence (or paste a series), and the run's model answers with its
 * prediction, the hidden states and gates of every layer, and which tokens pushed the prediction
 * which way. A live run answers with the weights of its latest epoch, a finished run with its saved
 * model. Results are kept with the run; the HTML report lists them (there is no model to ask there).
 */
import type { InspectionEvent, LayerGates } from '../../../src/protocol';
import { cssColor, divergingColor, paletteFor } from '../colorScale';
import { el, setText } from '../dom';
import { formatValue, snapshotLabel } from '../format';
import { decodeMatrix, gateScale, gateTitle } from '../gateData';
import { probeUnavailable } from '../sectionStatus';
import type { RunState } from '../state';
import type { Theme } from '../theme';
import { textWindow } from '../tokenWindow';
import { button } from '../toolkit';
import { HeatmapCard } from './heatmap';

/** Results shown, newest first; older ones stay in the run folder. */
const SHOWN_RESULTS = 6;

export interface ProbeBoxActions {
  /** Sends a probe request; undefined when this page cannot run the model (the HTML report). */
  probe?(requestId: string, text: string): void;
}

export class ProbeBoxView {
  readonly element: HTMLElement;
  /** Canvases by `inspectionId/layer[/direction/gate]`, for browser tests. */
  readonly heatmaps: Record<string, HTMLCanvasElement> = {};
  private readonly input = el('textarea', { className: 'probe-input', attrs: { rows: '2', 'aria-label': 'Sequence to probe', spellcheck: 'false' } });
  private readonly status = el('p', { className: 'probe-status muted', attrs: { 'aria-live': 'polite' } });
  private readonly results = el('div', { className: 'probe-results' });
  private readonly hint = el('p', { className: 'muted view-note' });
  private readonly probeButton?: HTMLElement;
  private readonly cards = new Map<string, InspectionCard>();
  private pending = new Map<string, string>();
  private counter = 0;

  constructor(private readonly actions: ProbeBoxActions) {
    const form = el('form', { className: 'probe-form' }, this.input);
    if (actions.probe) {
      this.probeButton = button('Probe', () => this.submit());
      form.append(this.probeButton);
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        this.submit();
      });
      this.input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey || !event.shiftKey)) {
          event.preventDefault();
          this.submit();
        }
      });
    } else {
      this.input.disabled = true;
      this.input.placeholder = 'A report cannot run the model: probe from the panel or with `seqlab probe <run> "<text>"`.';
    }
    this.element = el('section', { className: 'probe-box' }, el('h2', { text: 'Probe it yourself' }), this.hint, form, this.status, this.results);
  }

  /** Puts `text` in the box and probes it (a click on the representation map). */
  open(text: string): void {
    this.input.value = text;
    this.input.scrollIntoView({ block: 'center' });
    if (this.actions.probe) this.submit();
  }

  failed(requestId: string, message: string): void {
    this.pending.delete(requestId);
    setText(this.status, message);
    this.status.classList.add('error');
  }

  update(state: RunState, theme: Theme): void {
    const unavailable = this.actions.probe ? probeUnavailable(state) : undefined;
    if (this.actions.probe) {
      this.input.disabled = unavailable !== undefined;
      this.probeButton?.toggleAttribute('disabled', unavailable !== undefined);
    }
    setText(this.hint, unavailable ?? this.hintFor(state));
    for (const inspection of state.inspections) this.pending.delete(inspection.id);
    if (this.pending.size > 0) setText(this.status, `Running ${this.pending.size === 1 ? 'the probe' : `${this.pending.size} probes`}…`);
    else if (!this.status.classList.contains('error')) setText(this.status, '');
    const shown = state.inspections.slice(-SHOWN_RESULTS).reverse();
    shown.forEach((inspection, position) => {
      let card = this.cards.get(inspection.id);
      if (!card) {
        card = new InspectionCard(inspection.id, this.heatmaps);
        this.cards.set(inspection.id, card);
      }
      if (this.results.children[position] !== card.element) this.results.insertBefore(card.element, this.results.children[position] ?? null);
      card.update(inspection, theme);
    });
    const keep = new Set(shown.map((i) => i.id));
    for (const [id, card] of this.cards) {
      if (keep.has(id)) continue;
      card.element.remove();
      this.cards.delete(id);
    }
  }

  clear(): void {
    this.cards.clear();
    this.pending.clear();
    this.results.replaceChildren();
    for (const key of Object.keys(this.heatmaps)) delete this.heatmaps[key];
  }

  /** What to type, and which weights answer. */
  private hintFor(state: RunState): string {
    if (!this.actions.probe) return 'Sequences probed from the panel or with `seqlab probe` are kept with the run and listed here.';
    const tokens = state.data?.vocabSize !== undefined;
    const input = tokens ? 'Type a sentence' : 'Paste a series (numbers separated by commas or spaces)';
    const weights = state.status === 'running' ? 'While training runs, the weights of its latest epoch answer; training is not disturbed.' : 'The saved model answers.';
    return `${input} and press Enter: the model's prediction, its hidden states and gates, and which ${tokens ? 'tokens' : 'steps'} pushed the prediction which way. ${weights}`;
  }

  private submit(): void {
    const text = this.input.value.trim();
    if (!text || !this.actions.probe || this.input.disabled) return;
    const requestId = `probe-${Date.now().toString(36)}-${this.counter++}`;
    this.pending.set(requestId, text);
    this.status.classList.remove('error');
    setText(this.status, 'Running the probe…');
    this.actions.probe(requestId, text);
  }
}

class InspectionCard {
  readonly element: HTMLElement;
  private readonly heading = el('div', { className: 'heatmap-heading' });
  private readonly alternatives = el('div', { className: 'alternatives' });
  private readonly attribution = el('div', { className: 'attribution' });
  private readonly layers = el('div', { className: 'probe-layers' });
  private readonly cards = new Map<string, HeatmapCard>();
  private shown?: InspectionEvent;

  constructor(
    private readonly id: string,
    private readonly registry: Record<string, HTMLCanvasElement>,
  ) {
    this.element = el('article', { className: 'probe-block inspection', attrs: { 'data-inspection': id } }, this.heading, this.alternatives, this.attribution, this.layers);
  }

  update(inspection: InspectionEvent, theme: Theme): void {
    if (inspection === this.shown && this.cards.size > 0 && [...this.cards.values()].every((card) => card.element.isConnected)) {
      for (const card of this.cards.values()) this.showCard(card, inspection, theme);
      return;
    }
    this.shown = inspection;
    const { probe } = inspection;
    const weights = weightsWords(inspection);
    this.heading.replaceChildren(
      el('h3', { text: `“${shorten(inspection.input)}”` }),
      el('span', { className: 'prediction', text: `${probe.summary ? probe.summary.text : formatValue(probe.prediction?.[0])} · ${weights}` }),
    );
    this.alternatives.replaceChildren(
      ...(probe.summary?.alternatives ?? []).map((alternative) => {
        const bar = el('span', { className: 'alternative-bar' });
        bar.style.width = `${Math.max(1, alternative.probability * 100)}%`;
        return el('div', { className: 'alternative' }, el('span', { className: 'alternative-label', text: alternative.text }), el('span', { className: 'alternative-track' }, bar));
      }),
    );
    this.drawAttribution(inspection, theme);
    this.buildHeatmaps(inspection, theme);
  }

  private drawAttribution(inspection: InspectionEvent, theme: Theme): void {
    const attribution = inspection.attribution;
    if (!attribution) {
      this.attribution.replaceChildren();
      return;
    }
    const { tokens } = inspection.probe;
    const window = textWindow(tokens);
    const limit = Math.max(1e-12, ...attribution.scores.map(Math.abs));
    const palette = paletteFor(theme.kind);
    const chips = tokens.slice(window.start, window.end).map((token, i) => {
      const score = attribution.scores[window.start + i] ?? 0;
      const chip = el('span', { className: 'token-chip', text: token || '·', title: `${token || '(padding)'}: ${formatValue(score)}` });
      chip.style.background = cssColor(divergingColor(score, limit * 1.5, palette)); // never the darkest ends: the token stays readable
      return chip;
    });
    this.attribution.replaceChildren(
      el('div', { className: 'muted view-note', text: `Which ${tokens.length > 0 ? 'tokens' : 'steps'} pushed the ${attribution.target} up (red) or down (blue): ${attribution.description}. The scores add up to ${formatValue(attribution.total)}, the change from the baseline.` }),
      el('div', { className: 'token-chips' }, ...chips),
    );
  }

  private buildHeatmaps(inspection: InspectionEvent, theme: Theme): void {
    this.layers.replaceChildren();
    this.cards.clear();
    for (const key of Object.keys(this.registry)) if (key.startsWith(`${this.id}/`)) delete this.registry[key];
    const { probe } = inspection;
    for (const layer of probe.layers) {
      const row = el('div', { className: 'layer-cards' });
      this.layers.append(row);
      const stateKey = `${this.id}/${layer.layer}`;
      this.addCard(stateKey, row, 'state-card', theme, inspection);
      for (const direction of inspection.gates.filter((g) => g.layer === layer.layer)) {
        for (const { gate } of direction.gates) this.addCard(`${stateKey}/${direction.direction}/${gate}`, row, 'gate-card', theme, inspection);
      }
    }
  }

  private addCard(key: string, row: HTMLElement, className: string, theme: Theme, inspection: InspectionEvent): void {
    const card = new HeatmapCard(key, className);
    this.cards.set(key, card);
    this.registry[key] = card.canvas;
    row.append(card.element);
    this.showCard(card, inspection, theme);
  }

  private showCard(card: HeatmapCard, inspection: InspectionEvent, theme: Theme): void {
    const key = card.canvas.dataset.key ?? '';
    const [, layerName, direction, gate] = key.split('/');
    const { probe } = inspection;
    const layer = probe.layers.find((l) => l.layer === layerName);
    if (!layer) return;
    const shown = textWindow(probe.tokens);
    const epoch = inspection.weights.kind === 'epoch' ? inspection.weights.epoch : undefined;
    const when = weightsWords(inspection);
    if (!gate) {
      const rows = shown.end - shown.start;
      const cols = layer.states[shown.start]?.length ?? 0;
      card.show(layer, '', () => {
        const values = new Float32Array(rows * cols);
        for (let t = 0; t < rows; t++) values.set(layer.states[shown.start + t], t * cols);
        return {
          title: `${layer.layer} · hidden state h`,
          matrix: { rows, cols, values },
          tokens: probe.tokens.slice(shown.start, shown.end),
          firstTimestep: shown.start,
          scale: { kind: 'diverging', limit: 1 },
          quantity: 'state',
          gridHeight: 192,
          ...(epoch === undefined ? {} : { epoch }),
          when,
          ariaLabel: `Hidden states of ${layer.layer} for the probe “${shorten(inspection.input)}”`,
        };
      }, theme);
      return;
    }
    const gates: LayerGates | undefined = inspection.gates.find((g) => g.layer === layerName && g.direction === direction);
    const matrix = gates?.gates.find((g) => g.gate === gate)?.values;
    if (!gates || !matrix) return;
    card.show(matrix, '', () => ({
      title: gateTitle(gates.gates.find((g) => g.values === matrix)?.gate ?? 'input'),
      matrix: { rows: matrix.rows, cols: matrix.cols, values: decodeMatrix(matrix) },
      tokens: probe.tokens.slice(gates.start, gates.start + matrix.rows),
      firstTimestep: gates.start,
      scale: gateScale(matrix),
      quantity: gateTitle(gates.gates.find((g) => g.values === matrix)?.gate ?? 'input'),
      gridHeight: 112,
      ...(epoch === undefined ? {} : { epoch }),
      when,
      ariaLabel: `${gate} gate of ${layerName} for the probe`,
    }), theme);
  }
}

function weightsWords(inspection: InspectionEvent): string {
  return inspection.weights.kind === 'final' ? 'saved model' : `weights ${snapshotLabel(inspection.weights.epoch)}`;
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
