/** The model's layer table and the run's data and settings, as static tables. */
import type { RunState } from '../state';
import { el } from '../dom';
import { formatCount, formatDuration, formatShape, formatValue } from '../format';
import { sectionPlaceholder } from '../sectionStatus';

export class SummaryView {
  readonly element: HTMLElement;
  private readonly body = el('div', { className: 'summary-body' });
  private shown?: readonly unknown[];

  constructor() {
    this.element = el('section', { className: 'summary' }, el('h2', { text: 'Summary' }), this.body);
  }

  update(state: RunState): void {
    // Everything here arrives once per run: rebuild only when one of the inputs changed.
    const inputs = [state.summary, state.data, state.run, state.versions, state.finalMetrics, state.durationMs, state.status, state.untrained];
    if (this.shown && inputs.every((input, i) => input === this.shown?.[i])) return;
    this.shown = inputs;
    this.body.replaceChildren(
      layerTable(state),
      keyValueTable('Data', dataRows(state), sectionPlaceholder(state, 'data')),
      ...(state.untrained ? [] : [keyValueTable('Run', runRows(state), sectionPlaceholder(state, 'data'))]),
    );
  }
}

function layerTable(state: RunState): HTMLElement {
  const { summary } = state;
  if (!summary) {
    const waiting = el('p', { className: 'empty', text: sectionPlaceholder(state, 'model') });
    return el('div', { className: 'summary-block' }, el('h3', { text: 'Model' }), waiting);
  }
  const header = el('tr', {}, ...['Layer (type)', 'Output shape', 'Param #'].map((text) => el('th', { text })));
  const rows = summary.layers.map((layer) =>
    el(
      'tr',
      {},
      el('td', { text: `${layer.name} (${layer.type})` }),
      el('td', { className: 'mono', text: formatShape(layer.outputShape) }),
      el('td', { className: 'num', text: formatCount(layer.params) }),
    ),
  );
  const total = el(
    'tr',
    { className: 'total' },
    el('td', { text: 'Total params' }),
    el('td'),
    el('td', { className: 'num', text: formatCount(summary.totalParams) }),
  );
  return el(
    'div',
    { className: 'summary-block' },
    el('h3', { text: 'Model' }),
    el('table', { className: 'layer-table' }, el('thead', {}, header), el('tbody', {}, ...rows, total)),
    el('p', { className: 'muted', text: `Input shape ${formatShape(summary.inputShape)}` }),
  );
}

type Row = [string, string | undefined];

function dataRows({ data }: RunState): Row[] {
  if (!data) return [];
  return [
    ['Source', data.source],
    ['Task', data.task],
    ['Training samples', formatCount(data.trainSamples)],
    ['Validation samples', formatCount(data.validationSamples)],
    ['Timesteps', String(data.timesteps)],
    ['Features', data.features === undefined ? undefined : String(data.features)],
    ['Vocabulary', data.vocabSize === undefined ? undefined : formatCount(data.vocabSize)],
    ['Classes', data.classes === undefined ? undefined : String(data.classes)],
    ['Load time', `${formatCount(Math.round(data.loadMs))} ms`],
  ];
}

function runRows(state: RunState): Row[] {
  const { run, versions, finalMetrics } = state;
  const rows: Row[] = [
    ['Epochs', run ? String(run.epochs) : undefined],
    ['Batch size', run ? String(run.batchSize) : undefined],
    ['Batches per epoch', run ? formatCount(run.batchesPerEpoch) : undefined],
    ['Quick preview', run?.quick ? 'yes' : undefined],
    ['Backend', state.backend],
    ['Backend note', state.backendNote],
    ['Duration', state.durationMs === undefined ? undefined : formatDuration(state.durationMs)],
    ['Versions', versions ? `Sequence Lab ${versions.seqlab} · TensorFlow.js ${versions.tfjs} · Node ${versions.node}` : undefined],
    ['Run folder', state.runDir || undefined],
  ];
  for (const [name, value] of Object.entries(finalMetrics ?? {})) rows.push([`Final ${name}`, formatValue(value)]);
  return rows;
}

function keyValueTable(title: string, rows: Row[], placeholder: string): HTMLElement {
  const shown = rows.filter((row): row is [string, string] => row[1] !== undefined);
  const lines = shown.map(([key, value]) => el('tr', {}, el('th', { text: key }), el('td', { text: value })));
  const content =
    lines.length === 0
      ? el('p', { className: 'empty', text: placeholder })
      : el('table', { className: 'kv-table' }, el('tbody', {}, ...lines));
  return el('div', { className: 'summary-block' }, el('h3', { text: title }), content);
}
