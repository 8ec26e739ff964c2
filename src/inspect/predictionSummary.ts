/**
 * Model outputs in the words of the task (issue 11 item 3): the class name with its probability,
 * the predicted token with the likeliest alternatives, a value in the data's units. The meaning
 * comes from the preprocessing state (`Encoder.readPrediction`: class names, vocabulary, target
 * normalisation); the numbers are formatted here, once, for the panel, the report and the CLI.
 */
import type { Prediction } from '../data/preprocessing';
import type { PredictionSummary } from '../protocol';

const ALTERNATIVES = 5;

export function summarizePrediction(prediction: Prediction): PredictionSummary {
  switch (prediction.kind) {
    case 'class':
      return ranked('class', prediction.classes.map(({ name, probability }) => ({ label: classLabel(name), probability })));
    case 'next-token':
      return ranked('token', prediction.candidates.map(({ name, probability }) => ({ label: tokenLabel(name), probability })));
    case 'values':
      return { kind: 'value', text: prediction.values.map(formatDataValue).join(', ') };
  }
}

function ranked(kind: 'class' | 'token', entries: { label: string; probability: number }[]): PredictionSummary {
  const alternatives = entries.slice(0, ALTERNATIVES).map((entry) => ({ ...entry, text: `${entry.label} · ${formatProbability(entry.probability)}` }));
  return { kind, text: alternatives[0]?.text ?? '', alternatives };
}

/** Labels that are bare numbers (0/1 data) read better as `label 1`. */
export function classLabel(name: string): string {
  return /^\d+$/.test(name) ? `label ${name}` : name;
}

/** Tokens are quoted so that a space or a newline can be seen. */
function tokenLabel(token: string): string {
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
