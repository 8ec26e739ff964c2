/**
 * The data part of an exported Keras script: code that reads (or generates) the spec's data and
 * prepares it exactly as Sequence Lab's pipeline does (src/data/prepare.ts and the pipelines it
 * calls): the same seeded split, Keras' Tokenizer and pad_sequences with the spec's settings,
 * the same label ids, normalisation and windows. It ends with `x_train, y_train, x_val, y_val`.
 */
import { relative, resolve, sep } from 'node:path';
import { SENTIMENT_LEXICON, GRAMMAR_CHARACTERS } from '../../data/builtin';
import { findBuiltin } from '../../data/builtinCatalog';
import { DEFAULT_CHUNK_LENGTH } from '../../data/corpusPipeline';
import { refersToEnvironment } from '../../data/dataPaths';
import { valueColumnNames } from '../../language/resolve';
import type { DataSpec } from '../../language/types';
import { GENERATOR_SOURCES } from './pythonGenerators';
import { call, code, comment, py } from './pythonSource';

export interface DataSection {
  /** Helper functions (pythonHelpers.ts) and generators (pythonGenerators.ts) the code calls. */
  helpers: string[];
  generators: string[];
  /** Keras preprocessing the code uses (imported from tensorflow.keras.preprocessing). */
  preprocessing: ('Tokenizer' | 'pad_sequences')[];
  code: string;
  /** False when nothing validates (`validation: 0`), so `fit` gets no validation data. */
  hasValidation: boolean;
  /**
   * Python expression of the scale the targets were divided by (regression `scale`, forecast
   * `statistics[0][1]`), so metrics in the data's units are Keras' times it; absent: unscaled.
   */
  targetScale?: string;
  /** Python expression of the training labels as written (class names), where the code encodes labels. */
  trainLabels?: string;
}

export interface DataPaths {
  /** Folder of the spec: data paths in it are relative to it. */
  specDir: string;
  /** Folder the script is written to: the script finds its data relative to itself. */
  scriptDir: string;
}

export function dataSection(data: DataSpec, paths: DataPaths): DataSection {
  const builtin = findBuiltin(data.source);
  if (builtin) return builtinSection(data, builtin.name);
  if (data.source === 'imdb') return data.imdb_preprocessing === 'keras' ? kerasImdbSection(data) : textSection(data, imdbReading(data, paths), ['load_imdb']);
  switch (data.task) {
    case 'forecast':
      return seriesSection(data, fileReading(data, paths, 'read_series', [py(valueColumnNames(data.columns))]), ['read_series']);
    case 'next-token':
      return corpusSection(data, corpusReading(data, paths), ['read_text', 'read_table']);
    default:
      return textSection(data, fileReading(data, paths, 'read_examples', [py(data.columns.text), py(data.columns.label)]), ['read_examples']);
  }
}

interface Reading {
  /** Lines defining `train_source` and, with a separate validation set, `validation_source`. */
  lines: string[];
  separateValidation: boolean;
}

function validationFraction(data: DataSpec): number {
  return 'split' in data.validation ? data.validation.split : 0;
}

/**
 * `os.path.join(HERE, "data.csv")`: a data path relative to the script, found wherever it runs from.
 * `${env:NAME}` in the spec reads `os.environ["NAME"]` (a KeyError names an unset variable), and a
 * relative result is relative to the spec's folder, as Sequence Lab reads it.
 */
function pathExpression(file: string, paths: DataPaths): string {
  const relativePath = (target: string) => relative(paths.scriptDir, target).split(sep).join('/') || '.';
  if (!refersToEnvironment(file)) return `os.path.join(HERE, ${py(relativePath(resolve(paths.specDir, file)))})`;
  const parts = file.split(/\$\{env:([^}]*)\}/).map((part, i) => (i % 2 === 1 ? `os.environ[${py(part)}]` : part === '' ? '' : py(part)));
  return `os.path.join(HERE, ${py(relativePath(paths.specDir))}, ${parts.filter(Boolean).join(' + ')})`;
}

function fileReading(data: DataSpec, paths: DataPaths, reader: string, columns: string[]): Reading {
  const read = (file: string) => `${reader}(${[pathExpression(file, paths), ...columns].join(', ')})`;
  const lines = [`train_source = ${read(data.source)}  # data.source`];
  const separate = 'source' in data.validation;
  if ('source' in data.validation) lines.push(`validation_source = ${read(data.validation.source)}  # data.validation.source`);
  return { lines, separateValidation: separate };
}

function corpusReading(data: DataSpec, paths: DataPaths): Reading {
  const read = (file: string) => {
    const table = /\.(csv|tsv|jsonl)(\.gz)?$/i.test(file);
    return table ? `"\\n".join(row[${py(data.columns.text)}] for row in read_table(${pathExpression(file, paths)}))` : `read_text(${pathExpression(file, paths)})`;
  };
  const lines = [`train_source = ${read(data.source)}  # data.source`];
  if ('source' in data.validation) lines.push(`validation_source = ${read(data.validation.source)}  # data.validation.source`);
  return { lines, separateValidation: 'source' in data.validation };
}

function imdbReading(data: DataSpec, paths: DataPaths): Reading {
  const copy = data.imdb_path ? pathExpression(data.imdb_path, paths) : 'os.environ.get("SEQLAB_IMDB")';
  const lines = [
    comment('The IMDB reviews: a local copy (data.imdb_path, else the SEQLAB_IMDB environment variable), else the official archive, downloaded once.'),
    `train_source, test_source = load_imdb(${copy})`,
  ];
  const separate = 'source' in data.validation;
  if (separate) lines.push('validation_source = test_source  # data.validation.source: test');
  return { lines, separateValidation: separate };
}

/**
 * `data.imdb_preprocessing: keras`: the arrays of `keras.datasets.imdb.load_data` themselves, which
 * Sequence Lab rebuilds from the review texts (src/data/imdbKeras.ts).
 */
function kerasImdbSection(data: DataSpec): DataSection {
  const fraction = validationFraction(data);
  const separate = 'source' in data.validation;
  const pad = (ids: string) => call('pad_sequences', [code(ids)], { maxlen: code('MAX_LEN'), padding: data.padding, truncating: data.truncating });
  const lines = [
    comment(
      "data.imdb_preprocessing: keras. Keras' own IMDB arrays: a start token (1) before every review, OOV 2, words ranked on the training reviews from id 4. Keras' file lists the reviews in its own shuffled order, so these are Sequence Lab's examples in another order" +
        (separate ? '.' : ', and the validation fraction below takes other reviews than Sequence Lab\'s seeded split.'),
    ),
    `VOCAB_SIZE = ${py(data.tokenizer.vocab_size ?? null)}  # data.tokenizer.vocab_size: Keras' num_words`,
    '(train_ids, train_labels), (test_ids, test_labels) = keras.datasets.imdb.load_data(num_words=VOCAB_SIZE)',
    ...(separate
      ? []
      : [
          `count = round_half_up(len(train_ids) * ${fraction})  # data.validation`,
          'test_ids, test_labels, train_ids, train_labels = train_ids[:count], train_labels[:count], train_ids[count:], train_labels[count:]',
        ]),
    ...(data.limit !== undefined ? [`train_ids, train_labels = train_ids[:${data.limit}], train_labels[:${data.limit}]  # data.limit`] : []),
    data.max_len === undefined ? 'MAX_LEN = max(len(ids) for ids in train_ids)  # data.max_len not set: the longest training review' : `MAX_LEN = ${data.max_len}  # data.max_len`,
    `x_train = ${pad('train_ids')}`,
    'y_train = np.asarray(train_labels, dtype="float32").reshape(-1, 1)',
    `x_val = ${pad('test_ids')}`,
    'y_val = np.asarray(test_labels, dtype="float32").reshape(-1, 1)',
  ];
  return { helpers: separate ? [] : ['round_half_up'], generators: [], preprocessing: ['pad_sequences'], code: lines.join('\n'), hasValidation: separate || fraction > 0 };
}

/** Labelled texts -> Keras Tokenizer -> pad_sequences; labels -> targets (src/data/textPipeline.ts). */
function textSection(data: DataSpec, reading: Reading, readers: string[], fixedVocabulary?: readonly string[]): DataSection {
  const { tokenizer } = data;
  const scaledTargets = data.task === 'regression' && data.normalize_target !== 'none';
  const lines = [
    ...reading.lines,
    `train_examples, validation_examples = select_examples(train_source, ${reading.separateValidation ? 'validation_source' : 'None'}, fraction=${validationFraction(data)}, seed=SEED, limit=${py(data.limit ?? null)})`,
    ...(tokenizer.strip_html
      ? ['train_texts = [strip_html(text) for text, _ in train_examples]', 'validation_texts = [strip_html(text) for text, _ in validation_examples]']
      : ['train_texts = [text for text, _ in train_examples]', 'validation_texts = [text for text, _ in validation_examples]']),
    '',
    ...tokenizerLines(data, fixedVocabulary, 'train_texts'),
    'train_sequences = tokenizer.texts_to_sequences(train_texts)',
    ...(data.max_len === undefined ? ['MAX_LEN = max(1, max(len(sequence) for sequence in train_sequences))  # data.max_len not set: the longest training text'] : [`MAX_LEN = ${data.max_len}  # data.max_len`]),
    `x_train = ${call('pad_sequences', [code('train_sequences')], { maxlen: code('MAX_LEN'), padding: data.padding, truncating: data.truncating })}`,
    `x_val = ${call('pad_sequences', [code('tokenizer.texts_to_sequences(validation_texts)')], { maxlen: code('MAX_LEN'), padding: data.padding, truncating: data.truncating })}`,
    `y_train, y_val = encode_labels([label for _, label in train_examples], [label for _, label in validation_examples], ${py(data.task)})`,
    ...(scaledTargets ? targetScalingLines(data) : []),
  ];
  return {
    helpers: [...readers, 'select_examples', 'encode_labels', ...(tokenizer.strip_html ? ['strip_html'] : []), ...(scaledTargets ? ['fit_normalization'] : [])],
    generators: [],
    preprocessing: ['Tokenizer', 'pad_sequences'],
    code: lines.join('\n'),
    hasValidation: reading.separateValidation || validationFraction(data) > 0,
    ...(scaledTargets ? { targetScale: 'scale' } : {}),
    trainLabels: '[label for _, label in train_examples]',
  };
}

/** `data.normalize_target`: regression targets scaled with statistics of the training targets (src/data/forecast.ts). */
function targetScalingLines(data: DataSpec): string[] {
  return [
    comment("data.normalize_target: Sequence Lab reports metrics in the data's units; Keras reports these scaled ones (multiply by `scale`)."),
    `offset, scale = fit_normalization([float(value) for value in y_train[:, 0]], ${py(data.normalize_target)})`,
    'y_train = ((y_train.astype("float64") - offset) / scale).astype("float32")',
    'y_val = ((y_val.astype("float64") - offset) / scale).astype("float32")',
  ];
}

/**
 * `Tokenizer(num_words=vocab_size, oov_token=...)`: Keras keeps the `vocab_size - 2` most frequent
 * training tokens (id 0 pads, id 1 is the OOV token), as Sequence Lab's tokenizer does; without a
 * `vocab_size` (characters) it keeps every one. A built-in generator's vocabulary is fixed instead:
 * its word list in order, from id 2. Defines `VOCAB_SIZE`, the token ids an Embedding must take.
 */
function tokenizerLines(data: DataSpec, fixedVocabulary: readonly string[] | undefined, texts: string): string[] {
  const { tokenizer } = data;
  const options = { oov_token: tokenizer.oov_token, lower: tokenizer.lowercase ? undefined : false, char_level: tokenizer.level === 'char' ? true : undefined };
  const unit = tokenizer.level === 'char' ? 'characters' : 'words';
  if (fixedVocabulary) {
    return [
      comment("The generator's exact vocabulary, in Sequence Lab's order (ids 2, 3, ...; 0 pads, 1 is the OOV token)."),
      `VOCABULARY = ${py([...fixedVocabulary])}`,
      'VOCAB_SIZE = len(VOCABULARY) + 2',
      `tokenizer = ${call('Tokenizer', [], options)}`,
      'tokenizer.word_index = {tokenizer.oov_token: 1, **{token: index + 2 for index, token in enumerate(VOCABULARY)}}',
    ];
  }
  if (tokenizer.vocab_size === undefined) {
    return [
      `tokenizer = ${call('Tokenizer', [], options)}`,
      `tokenizer.fit_on_texts(${texts})`,
      `VOCAB_SIZE = len(tokenizer.word_index) + 1  # no data.tokenizer.vocab_size: every training ${unit.slice(0, -1)}, plus padding and OOV`,
    ];
  }
  return [
    `VOCAB_SIZE = ${tokenizer.vocab_size}  # data.tokenizer.vocab_size: the ${tokenizer.vocab_size - 2} most frequent training ${unit}, plus padding and OOV`,
    `tokenizer = ${call('Tokenizer', [], { num_words: code('VOCAB_SIZE'), ...options })}`,
    `tokenizer.fit_on_texts(${texts})`,
  ];
}

/** A numeric series, one or several columns -> normalised windows (src/data/seriesPipeline.ts). */
function seriesSection(data: DataSpec, reading: Reading, readers: string[]): DataSection {
  const { lookback, horizon, normalize } = data.window;
  const fraction = validationFraction(data);
  const lines = [
    ...reading.lines,
    `train_source = fill_missing(train_source, ${py(data.missing)})  # data.missing`,
    ...(reading.separateValidation ? [`validation_source = fill_missing(validation_source, ${py(data.missing)})`] : []),
    `LOOKBACK, HORIZON = ${lookback}, ${horizon}  # data.window`,
    reading.separateValidation
      ? 'train_part, validation_part = train_source, validation_source'
      : `train_part, validation_part = split_series_in_time(train_source, ${fraction}, LOOKBACK, HORIZON)`,
    comment(`data.window.normalize: each column scaled with statistics of its training part only; the first column is the one forecast.`),
    `statistics = [fit_normalization([row[feature] for row in train_part], ${py(normalize)}) for feature in range(len(train_part[0]))]`,
    'x_train, y_train = sliding_windows(normalized(train_part, statistics), LOOKBACK, HORIZON)',
    'x_val, y_val = sliding_windows(normalized(validation_part, statistics), LOOKBACK, HORIZON)',
    ...(data.limit !== undefined ? [`x_train, y_train = x_train[-${data.limit}:], y_train[-${data.limit}:]  # data.limit: the windows nearest the validation period`] : []),
    comment("Predictions are in normalised units: multiply by statistics[0]'s scale and add its offset for the data's units."),
  ];
  return {
    helpers: [...readers, 'fill_missing', 'forecast_windows'],
    generators: [],
    preprocessing: [],
    code: lines.join('\n'),
    hasValidation: reading.separateValidation || fraction > 0,
    ...(normalize !== 'none' ? { targetScale: 'statistics[0][1]' } : {}),
  };
}

/** A text -> next-token chunks (src/data/corpusPipeline.ts): the last fraction of the text validates. */
function corpusSection(data: DataSpec, reading: Reading, readers: string[], fixedVocabulary?: readonly string[]): DataSection {
  const fraction = validationFraction(data);
  const length = data.max_len ?? DEFAULT_CHUNK_LENGTH;
  const lines = [
    ...reading.lines,
    ...(reading.separateValidation
      ? ['train_text, validation_text = train_source, validation_source']
      : [
          `cut = round_half_up(len(train_source) * (1 - ${fraction}))  # data.validation: the end of the text validates`,
          'train_text, validation_text = train_source[:cut], train_source[cut:]',
        ]),
    ...(data.tokenizer.strip_html ? ['train_text, validation_text = strip_html(train_text), strip_html(validation_text)'] : []),
    ...tokenizerLines(data, fixedVocabulary, '[train_text]'),
    `LENGTH = ${length}  # data.max_len: tokens per chunk`,
    'x_train, y_train = next_token_chunks(tokenizer.texts_to_sequences([train_text])[0], LENGTH)',
    'x_val, y_val = next_token_chunks(tokenizer.texts_to_sequences([validation_text])[0], LENGTH)',
    ...(data.limit !== undefined ? [`x_train, y_train = x_train[:${data.limit}], y_train[:${data.limit}]  # data.limit`] : []),
  ];
  return {
    helpers: [...readers, 'next_token_chunks', ...(reading.separateValidation ? [] : ['round_half_up']), ...(data.tokenizer.strip_html ? ['strip_html'] : [])],
    generators: [],
    preprocessing: ['Tokenizer'],
    code: lines.join('\n'),
    hasValidation: reading.separateValidation || fraction > 0,
  };
}

function builtinSection(data: DataSpec, name: string): DataSection {
  const { samples, length } = data.generator;
  const fraction = validationFraction(data);
  const generator = GENERATOR_SOURCES[name];
  const withGenerator = (section: DataSection): DataSection => ({ ...section, generators: [name], helpers: [...generator!.needs, ...section.helpers] });
  switch (name) {
    case 'sine': {
      const { lookback, horizon } = data.window;
      const reading = { lines: [`train_source = [[value] for value in sine_series(${samples} + ${lookback} + ${horizon} - 1, SEED)]  # data.generator.samples windows`], separateValidation: false };
      return withGenerator(seriesSection(data, reading, []));
    }
    case 'adding':
    case 'parity': {
      const generate = name === 'adding' ? 'adding_problem' : 'parity_problem';
      const lines = [
        `x, y = ${generate}(${samples}, ${length}, SEED)  # data.generator`,
        comment('The examples are independent draws: the last `data.validation` fraction validates.'),
        `train_count = ${samples} - round_half_up(${samples} * ${fraction})`,
        `x_train, y_train = x[:train_count][:${py(data.limit ?? null)}], y[:train_count][:${py(data.limit ?? null)}]`,
        'x_val, y_val = x[train_count:], y[train_count:]',
      ];
      return withGenerator({ helpers: ['round_half_up'], generators: [], preprocessing: [], code: lines.join('\n'), hasValidation: Math.round(samples * fraction) > 0 });
    }
    case 'sentiment': {
      const reading = { lines: [`train_source = sentiment_reviews(${samples}, SEED)  # data.generator.samples`], separateValidation: false };
      return withGenerator(textSection(withLevel(data, 'word'), reading, [], SENTIMENT_LEXICON));
    }
    default: {
      const reading = { lines: [`train_source = grammar_corpus(${samples}, SEED)  # data.generator.samples sentences`], separateValidation: false };
      return withGenerator(corpusSection(withLevel(data, 'char'), reading, [], GRAMMAR_CHARACTERS));
    }
  }
}

/** A generator's vocabulary has its own level, whatever `data.tokenizer.level` says (src/data/sources.ts). */
function withLevel(data: DataSpec, level: DataSpec['tokenizer']['level']): DataSpec {
  return { ...data, tokenizer: { ...data.tokenizer, level } };
}
