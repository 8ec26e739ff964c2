/**
 * Model outputs in the words of the task (issue 11 item 3): the class name with its probability,
 * the predicted token with the likeliest alternatives, a value in the data's units. One number
 * format for the panel, the report and the CLI, because they all show the text made here.
 */
import type { Task } from '../language/types';
import type { PredictionSummary } from '../protocol';

/** What a model's output vector means. */
export interface OutputMeaning {
  task: Task;
  /** Class names in id order (binary and multiclass); `label 0`, `label 1`... when absent. */
  classNames?: readonly string[];
  /** The vocabulary by id (next-token). */
  tokens?: readonly string[];
  /** Back to the data's units: `value = output * scale + offset` (forecast targets are normalised). */
  target?: { offset: number; scale: number };
}

const ALTERNATIVES = 5;

/** `output`: the model's output vector for one sequence (its last timestep for sequence outputs). */
export function summarizePrediction(output: readonly number[], meaning: OutputMeaning): PredictionSummary {
  switch (meaning.task) {
    case 'binary': {
      const positive = output[0];
      const names = meaning.classNames ?? ['label 0', 'label 1'];
      return classSummary('class', [1 - positive, positive], names);
    }
    case 'multiclass':
      return classSummary('class', output, meaning.classNames ?? output.map((_, i) => `label ${i}`));
    case 'next-token':
      return classSummary('token', output, output.map((_, i) => tokenLabel(meaning.tokens?.[i], i)));
    case 'regression':
    case 'forecast': {
      const values = output.map((value) => (meaning.target ? value * meaning.target.scale + meaning.target.offset : value));
      return { kind: 'value', text: values.map(formatDataValue).join(', ') };
    }
  }
}

function classSummary(kind: 'class' | 'token', probabilities: readonly number[], labels: readonly string[]): PredictionSummary {
  const ranked = probabilities
    .map((probability, id) => ({ label: labels[id] ?? `label ${id}`, probability }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, ALTERNATIVES)
    .map((entry) => ({ ...entry, text: `${entry.label} · ${formatProbability(entry.probability)}` }));
  return { kind, text: ranked[0]?.text ?? '', alternatives: ranked };
}

/** Tokens are quoted so that a space or a newline can be seen. */
function tokenLabel(token: string | undefined, id: number): string {
  if (token === undefined) return `token ${id}`;
  if (token === '') return '(padding)';
  const visible = token.replace(/\n/g, '↵').replace(/\t/g, '⇥');
  return `“${visible === ' ' ? '␣' : visible}”`;
}

/** Probabilities as percentages with one decimal; the extremes say so instead of rounding to 0 or 100. */
export function formatProbability(probability: number): string {
  if (!Number.isFinite(probability)) return '–';
  const percent = probability * 100;
  if (percent > 0 && percent < 0.1) return '<0.1%';
  if (percent < 100 && percent > 99.9) return '>99.9%';
  return `${percent.toFixed(1)}%`;
}

/** Values in the data's units: four significant digits, whole numbers from 10,000 up, exponents for tiny ones. */
export function formatDataValue(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e4) return Math.round(value).toLocaleString('en-US');
  if (magnitude !== 0 && magnitude < 1e-3) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}
