/**
 * Text generation for next-token models (issue 8 §3): the sample recorded after each epoch (same
 * seed, temperature and random draws every epoch, so the slider shows what the model learnt), and a
 * generation box: seed text, length, temperature and top-k, streamed token by token. Each token is
 * coloured by the probability the model gave it; hovering shows the five likeliest tokens there.
 */
import type { GeneratedToken, GenerationEvent, GenerationSettings, TextSampleEvent } from '../../../src/protocol';
import { cssColor, rampColor, sequentialPalette } from '../colorScale';
import { el, setText } from '../dom';
import { shownEpoch, unionEpochs } from '../epochs';
import { formatValue, snapshotLabel } from '../format';
import type { ViewSettings } from '../host';
import { isRunning } from '../sectionStatus';
import type { RunState } from '../state';
import type { Theme } from '../theme';
import { button } from '../toolkit';
import { EpochSlider } from './epochSlider';

/** Generations shown, newest first; older ones stay in the run folder. */
const SHOWN_GENERATIONS = 4;
const DEFAULTS = { length: 200, temperature: 0.8, topK: 0 };

export interface TextGenerationActions {
  changeSettings(patch: Partial<ViewSettings>): void;
  /** Asks for a generation; absent where no model can run (the report). */
  generate?(requestId: string, settings: GenerationSettings): void;
}

export class TextGenerationView {
  readonly element: HTMLElement;
  private readonly slider: EpochSlider;
  private readonly sampleNote = el('p', { className: 'muted view-note' });
  private readonly sample = el('div', { className: 'generated', attrs: { 'data-sample': '' } });
  private readonly seed = el('textarea', { className: 'probe-input', attrs: { rows: '2', 'aria-label': 'Seed text', spellcheck: 'false' } });
  private readonly length = numberInput('Length (tokens)', DEFAULTS.length, 1, 2000, 1);
  private readonly temperature = numberInput('Temperature', DEFAULTS.temperature, 0, 5, 0.05);
  private readonly topK = numberInput('Top-k (0: all)', DEFAULTS.topK, 0, 100000, 1);
  private readonly status = el('p', { className: 'probe-status muted', attrs: { 'aria-live': 'polite' } });
  private readonly formNote = el('p', { className: 'muted view-note' });
  private readonly generateButton?: HTMLElement;
  private readonly results = el('div', { className: 'generation-results' });
  private readonly cards = new Map<string, GenerationCard>();
  private readonly pending = new Set<string>();
  private drawnSample?: TextSampleEvent;
  private drawnTheme?: Theme;
  private counter = 0;
  private seeded = false;

  constructor(private readonly actions: TextGenerationActions) {
    this.slider = new EpochSlider((selectedEpoch) => actions.changeSettings({ selectedEpoch }));
    const form = el('form', { className: 'generation-form' }, this.seed, el('div', { className: 'generation-settings' }, this.length.label, this.temperature.label, this.topK.label));
    if (actions.generate) {
      this.generateButton = button('Generate', () => this.submit());
      form.append(this.generateButton);
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        this.submit();
      });
    } else {
      for (const input of [this.seed, this.length.input, this.temperature.input, this.topK.input]) input.disabled = true;
      this.seed.placeholder = 'A report cannot run the model: generate from the panel or with `seqlab generate <run> --seed "…"`.';
    }
    this.element = el(
      'section',
      { className: 'text-generation' },
      el('h2', { text: 'Generated text' }),
      el('div', { className: 'controls' }, this.slider.element),
      this.sampleNote,
      this.sample,
      el('h3', { text: 'Generate' }),
      this.formNote,
      form,
      this.status,
      legend(),
      this.results,
    );
    this.element.hidden = true;
  }

  failed(requestId: string, message: string): void {
    this.pending.delete(requestId);
    setText(this.status, message);
    this.status.classList.add('error');
  }

  update(state: RunState, settings: ViewSettings, theme: Theme): void {
    const isNextToken = state.data?.task === 'next-token' || state.textSamples.length > 0 || state.generations.length > 0;
    this.element.hidden = !isNextToken;
    if (!isNextToken) return;
    const epochs = unionEpochs(state.textSamples);
    this.slider.update(epochs, settings.selectedEpoch, state.run?.epochs);
    const sample = state.textSamples.find((s) => s.epoch === shownEpoch(epochs, settings.selectedEpoch));
    if (sample && !this.seeded) {
      // The box starts from the seed the samples use.
      this.seed.value = sample.settings.seed;
      this.seeded = true;
    }
    if (sample !== this.drawnSample || theme !== this.drawnTheme) {
      this.drawnSample = sample;
      this.drawnTheme = theme;
      setText(
        this.sampleNote,
        sample
          ? `The model continues “${shorten(sample.settings.seed)}” ${snapshotLabel(sample.epoch, state.run?.epochs)}: ${sample.tokens.length} ${sample.level === 'char' ? 'characters' : 'words'} at temperature ${sample.settings.temperature}, with the same random draws every epoch, so what changes is what the model learnt.`
          : 'A sample of generated text appears after the first epoch.',
      );
      this.sample.replaceChildren(...(sample ? tokenSpans(sample.settings.seed, sample.tokens, sample.level, theme) : []));
      this.sample.dataset.epoch = String(sample?.epoch ?? '');
    }
    if (this.actions.generate) this.closeWhileTraining(isRunning(state));
    for (const generation of state.generations) if (generation.complete) this.pending.delete(generation.id);
    if (this.pending.size > 0) setText(this.status, 'Generating…');
    else if (!this.status.classList.contains('error')) setText(this.status, '');
    this.drawResults(state.generations, theme);
  }

  clear(): void {
    this.cards.clear();
    this.pending.clear();
    this.results.replaceChildren();
    this.sample.replaceChildren();
    this.drawnSample = undefined;
    this.seeded = false;
  }

  /** The box asks the saved model, which exists once training ends; until then it is closed and says so. */
  private closeWhileTraining(training: boolean): void {
    for (const input of [this.seed, this.length.input, this.temperature.input, this.topK.input]) input.disabled = training;
    this.generateButton?.toggleAttribute('disabled', training);
    setText(this.formNote, training ? 'Opens when training ends: it runs the saved model. Meanwhile the sample above shows what each epoch learnt.' : '');
    this.formNote.hidden = !training;
  }

  private drawResults(generations: readonly GenerationEvent[], theme: Theme): void {
    const shown = generations.slice(-SHOWN_GENERATIONS).reverse();
    shown.forEach((generation, position) => {
      let card = this.cards.get(generation.id);
      if (!card) {
        card = new GenerationCard(generation.id);
        this.cards.set(generation.id, card);
      }
      if (this.results.children[position] !== card.element) this.results.insertBefore(card.element, this.results.children[position] ?? null);
      card.update(generation, theme);
    });
    const keep = new Set(shown.map((g) => g.id));
    for (const [id, card] of this.cards) {
      if (keep.has(id)) continue;
      card.element.remove();
      this.cards.delete(id);
    }
  }

  private submit(): void {
    const seed = this.seed.value;
    if (!seed.trim() || !this.actions.generate || this.seed.disabled) return;
    const requestId = `generate-${Date.now().toString(36)}-${this.counter++}`;
    this.pending.add(requestId);
    this.status.classList.remove('error');
    setText(this.status, 'Generating…');
    this.actions.generate(requestId, {
      seed,
      length: Math.round(clamp(this.length.input.valueAsNumber, 1, 2000, DEFAULTS.length)),
      temperature: clamp(this.temperature.input.valueAsNumber, 0, 5, DEFAULTS.temperature),
      topK: Math.round(clamp(this.topK.input.valueAsNumber, 0, 100000, DEFAULTS.topK)),
      sample: this.counter,
    });
  }
}

class GenerationCard {
  readonly element: HTMLElement;
  private readonly heading = el('p', { className: 'muted' });
  private readonly text = el('div', { className: 'generated' });
  private drawn = '';

  constructor(id: string) {
    this.element = el('article', { className: 'generation', attrs: { 'data-generation': id } }, this.heading, this.text);
  }

  update(generation: GenerationEvent, theme: Theme): void {
    const key = `${generation.tokens.length}/${generation.complete}/${theme.kind}`;
    if (key === this.drawn) return;
    this.drawn = key;
    const { settings } = generation;
    const weights = generation.weights.kind === 'final' ? 'saved model' : `weights ${snapshotLabel(generation.weights.epoch)}`;
    setText(
      this.heading,
      `${generation.tokens.length}${generation.complete ? '' : ` of ${settings.length}`} ${generation.level === 'char' ? 'characters' : 'words'} · temperature ${settings.temperature} · top-k ${settings.topK === 0 ? 'all' : settings.topK} · sample ${settings.sample} · ${weights}${generation.complete ? '' : ' · generating…'}`,
    );
    this.text.replaceChildren(...tokenSpans(settings.seed, generation.tokens, generation.level, theme));
    this.element.dataset.tokens = String(generation.tokens.length);
    this.element.dataset.complete = String(generation.complete);
  }
}

/** The seed as plain text, then one span per token coloured by its probability, with its alternatives as a tooltip. */
function tokenSpans(seed: string, tokens: readonly GeneratedToken[], level: 'word' | 'char', theme: Theme): Node[] {
  const palette = sequentialPalette(theme.kind).slice(0, 2);
  const separator = level === 'char' ? '' : ' ';
  const nodes: Node[] = [el('span', { className: 'seed-text', text: level === 'char' ? seed : seed.trimEnd() })];
  for (const token of tokens) {
    if (separator) nodes.push(document.createTextNode(separator));
    const span = el('span', {
      className: 'token',
      text: token.token,
      title: `“${token.token}” · probability ${formatValue(token.p)}\n${token.top.map((t) => `${JSON.stringify(t.token)} ${formatValue(t.p)}`).join('\n')}`,
      attrs: { 'data-p': String(token.p) },
    });
    span.style.background = cssColor(rampColor(token.p, 0, 1, palette));
    nodes.push(span);
  }
  return nodes;
}

function legend(): HTMLElement {
  return el('p', { className: 'muted view-note', text: 'Each generated token is shaded by the probability the model gave it (darker: more probable); hover a token for the five likeliest tokens at that point.' });
}

function numberInput(label: string, value: number, min: number, max: number, step: number): { label: HTMLElement; input: HTMLInputElement } {
  const input = el('input', { className: 'number-input', attrs: { type: 'number', min: String(min), max: String(max), step: String(step), 'aria-label': label } });
  input.value = String(value);
  return { label: el('label', { className: 'number-field' }, label, input), input };
}

function clamp(value: number, min: number, max: number, fallback: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
