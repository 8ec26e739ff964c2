/**
 * The built-in data generators, described without generating anything, so that the spec checker
 * can infer shapes and validate tasks while the data pipeline implements them (`builtin.ts`).
 */
import type { Task } from '../language/types';

export interface BuiltinInfo {
  /** Used in specs as `builtin:<name>`. */
  name: string;
  description: string;
  /** `tokens`: text through the tokenizer (needs an `embedding` first); `values`: numeric steps. */
  input: 'tokens' | 'values';
  /** Values per timestep for `values` input. */
  features: number;
  tasks: Task[];
  /** Exact vocabulary size (padding and OOV included) for `tokens` input. */
  vocabularySize?: number;
}

export const BUILTIN_GENERATORS: readonly BuiltinInfo[] = [
  {
    name: 'sine',
    description: 'A noisy sum of two sines; windows of `lookback` steps predict the next `horizon` values.',
    input: 'values',
    features: 1,
    tasks: ['forecast'],
  },
  {
    name: 'adding',
    description:
      'The adding problem (Hochreiter & Schmidhuber 1997): each step is (value, marker); the target is the sum of the two marked values. Long sequences need long memory.',
    input: 'values',
    features: 2,
    tasks: ['regression'],
  },
  {
    name: 'parity',
    description: 'Random bit strings; the label is 1 when the number of ones is odd.',
    input: 'values',
    features: 1,
    tasks: ['binary'],
  },
  {
    name: 'sentiment',
    description:
      'Short generated movie-review sentences with positive or negative words and negations ("not good"); binary sentiment.',
    input: 'tokens',
    features: 1,
    tasks: ['binary'],
    vocabularySize: 76,
  },
  {
    name: 'grammar',
    description: 'Sentences from a tiny English grammar, character level; for next-character prediction.',
    input: 'tokens',
    features: 1,
    tasks: ['next-token'],
    vocabularySize: 25,
  },
];

export function findBuiltin(source: string): BuiltinInfo | undefined {
  if (!source.startsWith('builtin:')) return undefined;
  const name = source.slice('builtin:'.length);
  return BUILTIN_GENERATORS.find((info) => info.name === name);
}
