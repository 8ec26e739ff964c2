/**
 * `seqlab probe` in a terminal: an inspection (protocol `InspectionEvent`) as text. The prediction
 * comes first (formatPrediction, as `seqlab predict` prints it), then which tokens pushed it which
 * way (the attribution, its method named), then per recurrent layer a character heatmap of the
 * hidden state and the gates, tokens down, units across. The panel and the HTML report draw the same
 * event in colour, with every unit and step.
 */
import type { Attribution, InspectionEvent, LayerGates, LayerStates, QuantizedMatrix } from '../protocol';
import { textWindow } from '../inspect/textWindow';
import { formatTable } from './format';

/** Five shades, from a matrix's minimum (blank) to its maximum (full block). */
const SHADES = ' ░▒▓█';
/** Units drawn per matrix, so a layer's hidden state and gates fit side by side in a terminal. */
export const SHOWN_UNITS = 16;
/** Steps drawn per heatmap: the first and last half of this many when the text is longer. */
export const SHOWN_STEPS = 40;
/** Tokens listed with their attribution when the text is longer than SHOWN_STEPS (the largest scores). */
const SHOWN_ATTRIBUTIONS = 20;
const BAR_WIDTH = 12;
const TOKEN_WIDTH = 14;

const GATE_LETTERS: Record<LayerGates['gates'][number]['gate'], string> = {
  input: 'i',
  forget: 'f',
  cell: 'g',
  output: 'o',
  update: 'z',
  reset: 'r',
  candidate: 'h~',
};

/** The attribution and heatmap sections (the prediction is printed before them by the caller). */
export function formatInspection(event: InspectionEvent): string[] {
  const lines: string[] = [];
  if (event.attribution) lines.push('', ...formatAttribution(event.attribution, event.probe.tokens));
  else lines.push('', 'Attribution: none (token ids that reach the recurrent layer without an embedding have nothing continuous to attribute over).');
  for (const layer of event.probe.layers) {
    lines.push('', ...formatLayer(layer, event.gates.filter((gates) => gates.layer === layer.layer), event.probe.tokens));
  }
  return lines;
}

function formatAttribution(attribution: Attribution, tokens: readonly string[]): string[] {
  const { start, end } = textWindow(tokens);
  let steps = range(start, end);
  const note: string[] = [];
  if (steps.length > SHOWN_STEPS) {
    steps = [...steps].sort((a, b) => Math.abs(attribution.scores[b] ?? 0) - Math.abs(attribution.scores[a] ?? 0)).slice(0, SHOWN_ATTRIBUTIONS).sort((a, b) => a - b);
    note.push(`(the ${SHOWN_ATTRIBUTIONS} tokens with the largest scores of ${end - start}, in text order)`);
  }
  const largest = Math.max(...steps.map((t) => Math.abs(attribution.scores[t] ?? 0)), Number.MIN_VALUE);
  const rows = steps.map((t) => {
    const score = attribution.scores[t] ?? 0;
    const length = Math.round((Math.abs(score) / largest) * BAR_WIDTH);
    const bar = score < 0 ? `${' '.repeat(BAR_WIDTH - length)}${'█'.repeat(length)}|` : `${' '.repeat(BAR_WIDTH)}|${'█'.repeat(length)}`;
    return [String(t + 1), tokenLabel(tokens[t]), signed(score), bar];
  });
  return [
    `Attribution (${attribution.method}: ${attribution.description}) of the ${attribution.target}; positive pushed towards it. Scores add up to about ${signed(attribution.total)}.`,
    ...note,
    ...formatTable(['step', 'token', 'score', `${' '.repeat(BAR_WIDTH - 7)}against|towards`], rows).split('\n'),
  ];
}

interface Column {
  title: string;
  /** Shade index 0..4 of unit `u` at input step `t`. */
  shade: (t: number, u: number) => number;
  units: number;
  range: string;
}

function formatLayer(layer: LayerStates, gates: readonly LayerGates[], tokens: readonly string[]): string[] {
  const { start, end } = textWindow(tokens);
  const units = Math.min(layer.units, SHOWN_UNITS);
  const shown = layer.states.slice(start, end).flatMap((row) => row.slice(0, units));
  const [min, max] = shown.length ? [Math.min(...shown), Math.max(...shown)] : [0, 1];
  const columns: Column[] = [
    { title: 'h', units, range: `${round2(min)}..${round2(max)}`, shade: (t, u) => shadeOf(layer.states[t]?.[u] ?? min, min, max) },
  ];
  for (const direction of gates) {
    for (const { gate, values } of direction.gates) {
      const suffix = gates.length > 1 ? ` ${direction.direction === 'forward' ? '→' : '←'}` : '';
      columns.push({ title: `${GATE_LETTERS[gate]}${suffix}`, units: Math.min(values.cols, SHOWN_UNITS), range: `${round2(values.min)}..${round2(values.max)}`, shade: matrixShade(values, direction.start) });
    }
  }
  const keeps = gates.filter((direction) => direction.keep);
  const width = (column: Column) => Math.max(column.units, column.title.length, column.range.length);
  const cells = (text: (column: Column) => string) => columns.map((column) => text(column).padEnd(width(column))).join('  ');
  const keepTitle = keeps.length ? `  kept${keeps.length > 1 ? ' →/←' : ''}` : '';
  const stepLines = elide(range(start, end)).map((t) => {
    if (t === undefined) return `${'…'.padEnd(TOKEN_WIDTH + 6)}${cells(() => '')}`;
    const keep = keeps.map((direction) => (direction.keep![t - direction.start] ?? 0).toFixed(2)).join(' ');
    return `${String(t + 1).padStart(4)}  ${tokenLabel(tokens[t]).padEnd(TOKEN_WIDTH)}${cells((column) => Array.from({ length: column.units }, (_, u) => SHADES[column.shade(t, u)]).join(''))}${keep ? `  ${keep}` : ''}`.trimEnd();
  });
  const gateNote = gates.length ? '; gates: shade from each matrix\'s min (blank) to max (█), "kept" = mean forget (LSTM) or update (GRU) gate over all units' : '';
  return [
    `${layer.layer}: hidden state h${gates.length ? ' and gates' : ''}, first ${units} of ${layer.units} recorded units across, steps down${gateNote}`,
    `${'step'.padStart(4)}  ${'token'.padEnd(TOKEN_WIDTH)}${cells((column) => column.title)}${keepTitle}`,
    `${''.padEnd(TOKEN_WIDTH + 6)}${cells((column) => column.range)}`.trimEnd(),
    ...stepLines,
  ];
}

/** Shade of a quantised matrix whose first row is input step `start`. */
function matrixShade(matrix: QuantizedMatrix, start: number): (t: number, u: number) => number {
  const bytes = Buffer.from(matrix.data, 'base64');
  return (t, u) => Math.round(((bytes[(t - start) * matrix.cols + u] ?? 0) / 255) * (SHADES.length - 1));
}

function shadeOf(value: number, min: number, max: number): number {
  return max > min ? Math.round(((value - min) / (max - min)) * (SHADES.length - 1)) : 0;
}

/** All steps when they fit, else the first and last SHOWN_STEPS / 2 with `undefined` for the gap. */
function elide(steps: number[]): (number | undefined)[] {
  if (steps.length <= SHOWN_STEPS) return steps;
  return [...steps.slice(0, SHOWN_STEPS / 2), undefined, ...steps.slice(-SHOWN_STEPS / 2)];
}

function range(start: number, end: number): number[] {
  return Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
}

function tokenLabel(token: string | undefined): string {
  const text = JSON.stringify(token ?? '');
  return text.length > TOKEN_WIDTH - 1 ? `${text.slice(0, TOKEN_WIDTH - 2)}…` : text;
}

function signed(value: number): string {
  const text = Math.abs(value) >= 1e-3 || value === 0 ? Math.abs(value).toFixed(4) : Math.abs(value).toExponential(2);
  return `${value < 0 ? '-' : '+'}${text}`;
}

function round2(value: number): string {
  return value.toFixed(2);
}
