/**
 * The classification view (issue 8 §4): the validation split's confusion matrix at the epoch the
 * slider is on (counts, or each row as fractions of its class), each class's precision and recall,
 * and the validation examples the model gets most confidently wrong. A click on one opens it in the
 * probe box, where the panel can run it; the report shows its text and prediction.
 */
import type { ClassificationEvent } from '../../../src/protocol';
import { cssColor, rampColor, sequentialPalette, type Rgb } from '../colorScale';
import { accuracyOf, classFigures, rowNormalised } from '../confusion';
import { el, setText } from '../dom';
import { shownEpoch, unionEpochs } from '../epochs';
import { formatCount, formatValue, snapshotLabel } from '../format';
import type { ViewSettings } from '../host';
import type { RunState } from '../state';
import type { Theme } from '../theme';
import { checkbox } from '../toolkit';
import { EpochSlider } from './epochSlider';

/** Classes drawn in the matrix: beyond this a table of counts is no longer read. */
const MAX_MATRIX_CLASSES = 30;

export interface ClassificationActions {
  changeSettings(patch: Partial<ViewSettings>): void;
  /** Puts an example's text in the probe box and runs it; absent where no model can run (the report). */
  openInProbe?(text: string): void;
}

export class ClassificationView {
  readonly element: HTMLElement;
  private readonly slider: EpochSlider;
  private readonly note = el('p', { className: 'muted view-note' });
  private readonly matrix = el('table', { className: 'confusion', attrs: { 'data-confusion': '' } });
  private readonly perClass = el('table', { className: 'figures-table per-class' });
  private readonly wrong = el('ol', { className: 'wrong-examples' });
  private normalised = false;
  private drawn?: { event: ClassificationEvent; theme: Theme; normalised: boolean };
  private state?: RunState;
  private theme?: Theme;
  private settings?: ViewSettings;

  constructor(private readonly actions: ClassificationActions) {
    this.slider = new EpochSlider((selectedEpoch) => actions.changeSettings({ selectedEpoch }));
    const toggle = checkbox('Row-normalised', false, (checked) => {
      this.normalised = checked;
      if (this.state && this.settings && this.theme) this.update(this.state, this.settings, this.theme);
    });
    this.element = el(
      'section',
      { className: 'classification-view' },
      el('h2', { text: 'Classes' }),
      el('div', { className: 'controls' }, this.slider.element, toggle),
      this.note,
      el('div', { className: 'class-tables' }, el('div', { className: 'matrix-scroll' }, this.matrix), this.perClass),
      el('h3', { text: 'Most confidently wrong' }),
      this.wrong,
    );
    this.element.hidden = true;
  }

  update(state: RunState, settings: ViewSettings, theme: Theme): void {
    this.state = state;
    this.settings = settings;
    this.theme = theme;
    this.element.hidden = state.classifications.length === 0;
    const epochs = unionEpochs(state.classifications);
    this.slider.update(epochs, settings.selectedEpoch, state.run?.epochs);
    const epoch = shownEpoch(epochs, settings.selectedEpoch);
    const event = state.classifications.find((c) => c.epoch === epoch);
    if (!event || (this.drawn?.event === event && this.drawn.theme === theme && this.drawn.normalised === this.normalised)) return;
    this.drawn = { event, theme, normalised: this.normalised };
    const total = event.confusion.flat().reduce((sum, count) => sum + count, 0);
    setText(
      this.note,
      `All ${formatCount(total)} validation examples ${snapshotLabel(event.epoch, state.run?.epochs)}: rows are the true class, columns the prediction${event.classes.length === 2 ? ' (probability above 0.5: the second class)' : ''}. Accuracy ${formatValue(accuracyOf(event.confusion))}.`,
    );
    this.drawMatrix(event, theme);
    this.drawPerClass(event);
    this.drawWrong(event);
  }

  clear(): void {
    this.drawn = undefined;
    this.matrix.replaceChildren();
    this.perClass.replaceChildren();
    this.wrong.replaceChildren();
  }

  private drawMatrix(event: ClassificationEvent, theme: Theme): void {
    const shown = event.classes.slice(0, MAX_MATRIX_CLASSES);
    const fractions = rowNormalised(event.confusion);
    const palette = sequentialPalette(theme.kind);
    const cell = (actual: number, predicted: number) => {
      const fraction = fractions[actual]?.[predicted] ?? 0;
      const count = event.confusion[actual]?.[predicted] ?? 0;
      const background = rampColor(fraction, 0, 1, palette);
      const td = el('td', {
        className: `num${actual === predicted ? ' diagonal' : ''}`,
        text: this.normalised ? `${(fraction * 100).toFixed(1)}%` : formatCount(count),
        title: `${event.classes[actual]} predicted as ${event.classes[predicted]}: ${formatCount(count)} (${(fraction * 100).toFixed(1)}% of ${event.classes[actual]})`,
        attrs: { 'data-cell': `${actual},${predicted}` },
      });
      td.style.background = cssColor(background);
      td.style.color = readableOn(background);
      return td;
    };
    this.matrix.replaceChildren(
      el('caption', { className: 'muted', text: event.classes.length > shown.length ? `The first ${shown.length} of ${event.classes.length} classes.` : '' }),
      el('thead', {}, el('tr', {}, el('th', { text: 'true ↓ · predicted →' }), ...shown.map((name) => el('th', { className: 'num', text: name })))),
      el('tbody', {}, ...shown.map((name, actual) => el('tr', {}, el('th', { text: name }), ...shown.map((_, predicted) => cell(actual, predicted))))),
    );
  }

  private drawPerClass(event: ClassificationEvent): void {
    const figures = classFigures(event.confusion, event.classes);
    this.perClass.replaceChildren(
      el('thead', {}, el('tr', {}, el('th', { text: 'class' }), el('th', { className: 'num', text: 'precision' }), el('th', { className: 'num', text: 'recall' }), el('th', { className: 'num', text: 'examples' }))),
      el(
        'tbody',
        {},
        ...figures.map((figure) =>
          el('tr', {}, el('td', { text: figure.name }), el('td', { className: 'num', text: formatValue(figure.precision) }), el('td', { className: 'num', text: formatValue(figure.recall) }), el('td', { className: 'num', text: formatCount(figure.support) })),
        ),
      ),
    );
  }

  private drawWrong(event: ClassificationEvent): void {
    if (event.wrong.length === 0) {
      this.wrong.replaceChildren(el('li', { className: 'muted', text: 'None: every validation example is classified right.' }));
      return;
    }
    const open = this.actions.openInProbe;
    this.wrong.replaceChildren(
      ...event.wrong.map((example) => {
        const verdict = el('span', {
          className: 'wrong-verdict',
          text: `${event.classes[example.predicted]} (${(example.probability * 100).toFixed(1)}%) · actually ${event.classes[example.actual]} · validation #${example.index}`,
        });
        const text = el('span', { className: 'wrong-text', text: example.text });
        const item = el('li', { attrs: { 'data-wrong': String(example.index) } }, verdict, text);
        if (open) {
          item.classList.add('clickable');
          item.title = 'Open in the probe box';
          item.tabIndex = 0;
          item.addEventListener('click', () => open(example.text));
          item.addEventListener('keydown', (e) => e.key === 'Enter' && open(example.text));
        }
        return item;
      }),
    );
  }
}

/** Black or white text, whichever reads better on `background` (WCAG relative luminance). */
function readableOn([r, g, b]: Rgb): string {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  return luminance > 0.35 ? '#111111' : '#ffffff';
}
