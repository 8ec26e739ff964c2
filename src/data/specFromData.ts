/**
 * A first spec for the user's own data file ("New Spec from Template", from my CSV/text file): the
 * file is read with the same readers training uses, its columns and task are inferred, and the
 * spec is sized from the data (vocabulary, sequence length, classes, lookback) so that it checks
 * clean and trains as written. What was inferred is said in the spec's leading comment.
 *
 *   labelled text (a text and a label column; UCI-style `label<TAB>text` lines) -> binary / multiclass
 *   one numeric column (a table's numeric column, or one number per line)      -> forecast
 *   plain text                                                                 -> next-token, characters
 */
import { basename, isAbsolute, relative, sep } from 'node:path';
import { stringify } from 'yaml';
import { resolveSpec } from '../language/resolve';
import type { Task } from '../language/types';
import { readDataText } from './readSource';
import { formatOf, SUPPORTED_EXTENSIONS, type SourceFormat } from './formats';
import { readTable } from './records';
import { Tokenizer } from './tokenizer';
import { DataError } from './types';

/** Column names that say "this is the text" or "this is the label", most telling first. */
const TEXT_NAMES = ['text', 'review', 'message', 'sentence', 'content', 'body', 'comment', 'tweet', 'document', 'sms'];
const LABEL_NAMES = ['label', 'labels', 'class', 'category', 'sentiment', 'target', 'y', 'spam', 'rating', 'tag'];
/** More distinct values than this in a column is not a set of classes. */
const MAX_CLASSES = 50;
const MAX_LEN_BOUNDS = { min: 8, max: 200 };
const MAX_VOCABULARY = 10_000;
/** Fewer values than this leave no windows to train and validate on. */
const MIN_SERIES_VALUES = 10;

export interface InferredSpec {
  /** The spec as YAML, starting with a comment that says what was inferred. */
  text: string;
  task: Task;
  /** What was inferred, one sentence each (also the spec's leading comment). */
  notes: string[];
}

/** Labelled text, a numeric series or a corpus, as found in the file. */
type Profile =
  | { kind: 'labelled'; texts: string[]; labels: string[]; columns?: { text: string; label: string } }
  | { kind: 'series'; values: number; column?: string }
  | { kind: 'corpus'; text: string };

/**
 * Reads `file` and writes a spec for it, named `name`, to be saved in `specDir` (the source path
 * is written relative to it). Throws DataError when the file cannot be read or holds nothing a
 * recurrent model can learn from (one sentence saying why).
 */
export async function specFromDataFile(file: string, options: { name: string; specDir: string }): Promise<InferredSpec> {
  const format = formatOf(file);
  if (!format) {
    throw new DataError(`this kind of file is not supported; use one of ${SUPPORTED_EXTENSIONS.join(', ')}.`, file);
  }
  const profile = profileOf(await readDataText(file), file, format);
  // Relative to the spec, as `data.source` is read; absolute when the data lives elsewhere.
  const fromSpec = relative(options.specDir, file);
  const source = fromSpec.startsWith('..') || isAbsolute(fromSpec) ? file : fromSpec.split(sep).join('/');
  const { spec, task, notes } = specFor(profile, source);
  const header = [`Written by "New Spec from Template" from ${basename(file)}:`, ...notes.map((note) => `- ${note}`), 'Change anything: hover a key for its documentation, Ctrl+Space completes keys and layer types.'];
  const text = `${header.map((line) => `# ${line}`).join('\n')}\n${stringify({ name: options.name, ...spec }, { lineWidth: 0 })}`;
  return { text, task, notes };
}

function profileOf(text: string, file: string, format: SourceFormat): Profile {
  if (format === 'txt') return profileOfLines(text, file);
  const table = readTable(text, file, format);
  const column = (index: number) => table.rows.map((row) => row[index] ?? '');
  const numeric = table.columns.map((_, index) => column(index).every((value) => value.trim() !== '' && Number.isFinite(Number(value))));
  const distinct = table.columns.map((_, index) => new Set(column(index)).size);
  const meanLength = table.columns.map((_, index) => column(index).reduce((sum, value) => sum + value.length, 0) / Math.max(1, table.rows.length));
  // Words, not codes: dates ("1949-01") and ids are no text to learn from.
  const wordy = table.columns.map((_, index) => column(index).filter((value) => /\p{L}/u.test(value)).length >= 0.9 * table.rows.length);
  const named = (names: string[], candidates: number[]) =>
    names.map((name) => candidates.find((index) => table.columns[index]!.toLowerCase() === name)).find((index) => index !== undefined);
  const all = table.columns.map((_, index) => index);

  const textCandidates = all.filter((index) => !numeric[index] && wordy[index]);
  const textIndex = named(TEXT_NAMES, textCandidates) ?? [...textCandidates].sort((a, b) => meanLength[b]! - meanLength[a]!)[0];
  const labelCandidates = all.filter((index) => index !== textIndex && distinct[index]! >= 2 && distinct[index]! <= MAX_CLASSES);
  const labelIndex = named(LABEL_NAMES, labelCandidates) ?? [...labelCandidates].sort((a, b) => distinct[a]! - distinct[b]!)[0];
  if (textIndex !== undefined && labelIndex !== undefined) {
    return {
      kind: 'labelled',
      texts: column(textIndex),
      labels: column(labelIndex).map((label) => label.trim()),
      columns: { text: table.columns[textIndex]!, label: table.columns[labelIndex]! },
    };
  }
  const valueIndex = all.filter((index) => numeric[index]).at(-1);
  if (valueIndex !== undefined) return seriesOf(table.rows.length, file, table.columns[valueIndex]!);
  if (textIndex !== undefined) return { kind: 'corpus', text: column(textIndex).join('\n') };
  throw new DataError('found no text, label or numeric column to learn from.', file);
}

/** A `.txt`: `label<TAB>text` lines, one number per line, or running text. */
function profileOfLines(text: string, file: string): Profile {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const labelled = lines.map((line) => /^([^\t]{1,40})\t(.+)$/.exec(line));
  if (labelled.every((match) => match !== null)) {
    const labels = labelled.map((match) => match![1]!.trim());
    if (new Set(labels).size >= 2 && new Set(labels).size <= MAX_CLASSES) {
      return { kind: 'labelled', texts: labelled.map((match) => match![2]!), labels };
    }
  }
  if (lines.every((line) => Number.isFinite(Number(line.trim())))) return seriesOf(lines.length, file);
  return { kind: 'corpus', text };
}

function seriesOf(values: number, file: string, column?: string): Profile {
  if (values < MIN_SERIES_VALUES) {
    throw new DataError(`only ${values} numbers: a series needs at least ${MIN_SERIES_VALUES} values to cut training and validation windows from.`, file);
  }
  return { kind: 'series', values, ...(column ? { column } : {}) };
}

interface SpecParts {
  spec: Record<string, unknown>;
  task: Task;
  notes: string[];
}

function specFor(profile: Profile, source: string): SpecParts {
  switch (profile.kind) {
    case 'labelled':
      return classificationSpec(profile, source);
    case 'series':
      return forecastSpec(profile, source);
    case 'corpus':
      return nextTokenSpec(profile, source);
  }
}

function classificationSpec(profile: Extract<Profile, { kind: 'labelled' }>, source: string): SpecParts {
  const classes = [...new Set(profile.labels)].sort();
  // Integer labels are class ids counted from 0 (Keras): labels 1..3 need 4 outputs.
  const ids = classes.every((label) => /^\d+$/.test(label)) ? classes.map(Number) : undefined;
  const binary = ids ? ids.every((id) => id <= 1) : classes.length === 2;
  const units = ids ? Math.max(...ids) + 1 : classes.length;
  const task: Task = binary ? 'binary' : 'multiclass';
  const tokenizer = fitTokenizer(profile.texts, source, task, { level: 'word' });
  const lengths = tokenizer.encoded.map((ids) => ids.length).sort((a, b) => a - b);
  const maxLen = clamp(lengths[Math.floor(0.95 * (lengths.length - 1))] ?? MAX_LEN_BOUNDS.min, MAX_LEN_BOUNDS.min, MAX_LEN_BOUNDS.max);
  const vocabSize = Math.min(MAX_VOCABULARY, tokenizer.tokenizer.vocabulary.tokens.length);
  const notes = [
    `${profile.texts.length.toLocaleString('en-US')} examples; ${profile.columns ? `text column "${profile.columns.text}", label column "${profile.columns.label}"` : 'label<TAB>text lines'}.`,
    `${classes.length} classes (${preview(classes)}): task ${task}${ids && !binary ? `, ${units} outputs for class ids 0-${units - 1}` : ''}.`,
    `max_len ${maxLen} words covers 95% of the texts; a vocabulary of ${vocabSize.toLocaleString('en-US')} words.`,
  ];
  return {
    task,
    notes,
    spec: {
      data: {
        source,
        task,
        ...(profile.columns ? { columns: profile.columns } : {}),
        tokenizer: { level: 'word', vocab_size: vocabSize },
        max_len: maxLen,
        ...(task === 'multiclass' ? { num_classes: units } : {}),
        validation: 0.2,
      },
      model: [
        { type: 'embedding', output_dim: 32 },
        { type: 'lstm', units: 32 },
        binary ? { type: 'dense', units: 1, activation: 'sigmoid' } : { type: 'dense', units, activation: 'softmax' },
      ],
      train: { epochs: 5, batch_size: 32 },
      inspect: { probes: [{ index: 0 }, { index: 1 }] },
    },
  };
}

function forecastSpec(profile: Extract<Profile, { kind: 'series' }>, source: string): SpecParts {
  // A year of monthly data when there is enough of it; always several windows to train on.
  const lookback = clamp(Math.floor(profile.values / 6), 2, 12);
  const notes = [
    `${profile.values.toLocaleString('en-US')} values${profile.column ? ` in column "${profile.column}"` : ', one per line'}: task forecast, the next value from the ${lookback} before it.`,
  ];
  return {
    task: 'forecast',
    notes,
    spec: {
      data: {
        source,
        task: 'forecast',
        ...(profile.column ? { columns: { value: profile.column } } : {}),
        window: { lookback, horizon: 1, normalize: 'zscore' },
        validation: 0.2,
      },
      model: [
        { type: 'lstm', units: 32 },
        { type: 'dense', units: 1 },
      ],
      train: { loss: 'mse', metrics: ['mae'], epochs: 20, batch_size: 16 },
      inspect: { probes: [{ index: 0 }] },
    },
  };
}

function nextTokenSpec(profile: Extract<Profile, { kind: 'corpus' }>, source: string): SpecParts {
  const tokenizer = fitTokenizer([profile.text], source, 'next-token', { level: 'char' });
  const vocabulary = tokenizer.tokenizer.vocabulary.tokens.length;
  const maxLen = clamp(Math.floor(tokenizer.encoded[0]!.length / 10), 2, 40);
  const notes = [
    `${profile.text.length.toLocaleString('en-US')} characters of running text: task next-token at the character level.`,
    `${vocabulary} token ids (the characters found, plus padding and out-of-vocabulary): one softmax output each; chunks of ${maxLen} characters.`,
  ];
  return {
    task: 'next-token',
    notes,
    spec: {
      data: {
        source,
        task: 'next-token',
        tokenizer: { level: 'char', vocab_size: vocabulary },
        max_len: maxLen,
        validation: 0.1,
      },
      model: [
        { type: 'embedding', output_dim: 16 },
        { type: 'lstm', units: 64, return_sequences: true },
        { type: 'time_distributed', layer: { type: 'dense', units: vocabulary, activation: 'softmax' } },
      ],
      train: { epochs: 10, batch_size: 32 },
      inspect: { probes: [{ index: 0 }] },
    },
  };
}

/** Fits the tokenizer training would fit (the spec's defaults for everything not given). */
function fitTokenizer(texts: string[], source: string, task: Task, tokenizer: { level: 'word' | 'char' }): ReturnType<typeof Tokenizer.fit> {
  const options = resolveSpec({ data: { source, task, tokenizer } }).data.tokenizer;
  return Tokenizer.fit(texts, { ...options, vocab_size: undefined });
}

function preview(values: string[]): string {
  const shown = values.slice(0, 5).map((value) => `"${value}"`);
  return values.length > 5 ? `${shown.join(', ')}, …` : shown.join(', ');
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
