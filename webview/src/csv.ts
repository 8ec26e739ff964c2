/**
 * "Export CSV": every charted value of a run as one tidy table, a row per batch and per epoch, so it
 * loads straight into pandas or a spreadsheet. Epochs and batches are zero-based as in the run events.
 */
import type { RunState } from './state';

export type CsvRowKind = 'train_batch' | 'train_epoch' | 'validation_epoch';

export function runToCsv(state: RunState): string {
  const names = state.quantities;
  const lines = [['kind', 'epoch', 'batch', 'step', ...names].map(csvField).join(',')];
  const { batches } = state;
  for (let i = 0; i < batches.length; i++) {
    const values = names.map((name) => batches.values[name]?.[i]);
    lines.push(row('train_batch', batches.epoch[i], batches.batch[i], batches.step[i], values));
  }
  for (const record of state.epochs) {
    lines.push(row('train_epoch', record.epoch, undefined, undefined, names.map((name) => record.train[name])));
    if (Object.keys(record.validation).length > 0) {
      const values = names.map((name) => record.validation[name]);
      lines.push(row('validation_epoch', record.epoch, undefined, undefined, values));
    }
  }
  return lines.join('\n') + '\n';
}

function row(
  kind: CsvRowKind,
  epoch: number,
  batch: number | undefined,
  step: number | undefined,
  values: (number | undefined)[],
): string {
  return [kind, epoch, batch, step, ...values].map(csvValue).join(',');
}

/** Missing and non-finite values are empty cells, not the strings "NaN" or "undefined". */
function csvValue(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return csvField(value);
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
