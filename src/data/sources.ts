/**
 * Resolves `data.source` (and a separate validation source) into loaded content of the kind the
 * task needs: labelled texts, a numeric series, a corpus, or generated numeric sequences.
 */
import { resolve } from 'node:path';
import type { DataSpec } from '../language/types';
import {
  addingProblem,
  grammarCorpus,
  GRAMMAR_CHARACTERS,
  parityProblem,
  SENTIMENT_LEXICON,
  sentimentReviews,
  sineSeries,
  type ValueExamples,
} from './builtin';
import { findBuiltin } from './builtinCatalog';
import type { Corpus } from './corpusPipeline';
import { expandDataPath } from './dataPaths';
import { formatOf, SUPPORTED_EXTENSIONS, type SourceFormat } from './formats';
import { loadImdb } from './imdb';
import { KerasImdbEncoder } from './imdbKeras';
import type { TokenEncoder } from './preprocessing';
import { readDataText } from './readSource';
import { readCorpus, readTextExamples, type TextExamples } from './records';
import { readSeries, type Series } from './series';
import { Tokenizer } from './tokenizer';
import { DataError, type DataProgress } from './types';

export type LoadedSource =
  | { kind: 'text'; train: TextExamples; validation?: TextExamples; fixedTokenizer?: TokenEncoder }
  | { kind: 'series'; train: Series; validation?: Series }
  | { kind: 'corpus'; train: Corpus; validation?: Corpus; fixedTokenizer?: Tokenizer }
  | { kind: 'values'; examples: ValueExamples; task: 'binary' | 'regression' };

export interface SourceContext {
  specDir: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onProgress?: (progress: DataProgress) => void;
}

export async function loadSource(data: DataSpec, context: SourceContext): Promise<LoadedSource> {
  if (data.source.startsWith('builtin:')) return loadBuiltin(data);
  if (data.source === 'imdb') return loadImdbSource(data, context);
  const file = resolve(context.specDir, expandDataPath(data.source, 'data.source', context.env));
  const validationFile = 'source' in data.validation ? resolve(context.specDir, expandDataPath(data.validation.source, 'data.validation.source', context.env)) : undefined;
  type Parse<T> = (text: string, path: string, format: SourceFormat) => T;
  const read = async <T>(path: string, parse: Parse<T>) => {
    const format = formatOf(path);
    if (!format) throw new DataError(`unsupported file type. Use one of ${SUPPORTED_EXTENSIONS.join(', ')} (or a plain text file without extension).`, path);
    return parse(await readDataText(path), path, format);
  };
  const both = async <T>(parse: Parse<T>) => ({
    train: await read(file, parse),
    validation: validationFile ? await read(validationFile, parse) : undefined,
  });
  switch (data.task) {
    case 'forecast':
      return { kind: 'series', ...(await both((text, path, format) => readSeries(text, path, format, data.columns))) };
    case 'next-token':
      return { kind: 'corpus', ...(await both((text, path, format) => ({ file: path, text: readCorpus(text, path, format, data.columns) }))) };
    default:
      return { kind: 'text', ...(await both((text, path, format) => readTextExamples(text, path, format, data.columns))) };
  }
}

function loadBuiltin(data: DataSpec): LoadedSource {
  const info = findBuiltin(data.source);
  if (!info) {
    throw new DataError(`there is no built-in generator "${data.source}". Use builtin:sine, builtin:adding, builtin:parity, builtin:sentiment or builtin:grammar.`);
  }
  if (!info.tasks.includes(data.task)) {
    throw new DataError(`the generator ${data.source} makes data for task \`${info.tasks.join('` or `')}\`, not \`${data.task}\`. Change \`data.task\`.`);
  }
  if ('source' in data.validation) {
    throw new DataError(`the generator ${data.source} makes its own validation data. Use a fraction for \`data.validation\`, e.g. 0.2.`);
  }
  const { generator, seed } = data;
  const origin = data.source;
  switch (info.name) {
    case 'sine': {
      const values = Float64Array.from(sineSeries(generator.samples + data.window.lookback + data.window.horizon - 1, seed));
      return { kind: 'series', train: { file: origin, values, features: 1, lines: Array.from(values, (_, i) => i + 1) } };
    }
    case 'adding':
      return { kind: 'values', examples: addingProblem(generator, seed), task: 'regression' };
    case 'parity':
      return { kind: 'values', examples: parityProblem(generator, seed), task: 'binary' };
    // The generators' lexicons are their exact vocabularies (builtinCatalog's vocabularySize).
    case 'sentiment':
      return {
        kind: 'text',
        train: { file: origin, examples: sentimentReviews(generator, seed) },
        fixedTokenizer: Tokenizer.fromTokens(SENTIMENT_LEXICON, { ...data.tokenizer, level: 'word' }),
      };
    case 'grammar':
      return {
        kind: 'corpus',
        train: { file: origin, text: grammarCorpus(generator, seed) },
        fixedTokenizer: Tokenizer.fromTokens(GRAMMAR_CHARACTERS, { ...data.tokenizer, level: 'char' }),
      };
    default:
      throw new DataError(`the built-in generator ${data.source} is described but not implemented; please report this.`);
  }
}

async function loadImdbSource(data: DataSpec, context: SourceContext): Promise<LoadedSource> {
  if (data.task !== 'binary') {
    throw new DataError(`the imdb source has binary sentiment labels; set \`data.task: binary\` (it is \`${data.task}\`).`);
  }
  if ('source' in data.validation && data.validation.source !== 'test') {
    throw new DataError(`for the imdb source, \`data.validation.source\` can only be \`test\` (the official test split), not "${data.validation.source}".`);
  }
  const localPath = data.imdb_path === undefined ? undefined : expandDataPath(data.imdb_path, 'data.imdb_path', context.env);
  const splits = await loadImdb({ ...context, localPath });
  const validation = 'source' in data.validation ? splits.test : undefined;
  if (data.imdb_preprocessing === 'tokenizer') return { kind: 'text', train: splits.train, validation };
  // Keras ranks its word index on all 25,000 training reviews, whatever slice is trained on later.
  const encoder = KerasImdbEncoder.fit(
    splits.train.examples.map((example) => example.text),
    { numWords: data.tokenizer.vocab_size },
  );
  return { kind: 'text', train: splits.train, validation, fixedTokenizer: encoder };
}
