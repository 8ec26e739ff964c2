/** A text corpus -> next-token chunks (`[n, max_len]` ids -> the same chunk shifted by one). */
import type { DataSpec } from '../language/types';
import { nextTokenChunks, type TokenChunks } from './nextToken';
import type { PipelineResult } from './prepared';
import { PREPROCESSING_FORMAT, PREPROCESSING_VERSION } from './preprocessing';
import { sliceRows, type ExampleLimits } from './selection';
import { Tokenizer } from './tokenizer';
import { DataError, type Split } from './types';

/** Chunk length when `data.max_len` is not given. */
export const DEFAULT_CHUNK_LENGTH = 100;

export interface Corpus {
  file: string;
  text: string;
}

/**
 * Without a separate validation corpus the text is cut in time (the last fraction validates), as
 * for char-rnn: random chunks would put overlapping context on both sides.
 */
export function prepareCorpus(
  train: Corpus,
  validation: Corpus | undefined,
  fraction: number,
  data: DataSpec,
  limits: ExampleLimits,
  fixedTokenizer?: Tokenizer,
): PipelineResult {
  const cut = validation ? train.text.length : Math.round(train.text.length * (1 - fraction));
  const trainText = train.text.slice(0, cut);
  const validationText = validation ? validation.text : train.text.slice(cut);
  const fitted = fixedTokenizer ? undefined : Tokenizer.fit([trainText], data.tokenizer);
  const tokenizer = fixedTokenizer ?? fitted!.tokenizer;
  const length = data.max_len ?? DEFAULT_CHUNK_LENGTH;
  const trainChunks = nextTokenChunks(fitted?.encoded[0] ?? tokenizer.encode(trainText), length);
  const validationChunks = nextTokenChunks(tokenizer.encode(validationText), length);
  if (trainChunks.count === 0) {
    throw new DataError(
      `the training text is too short for one chunk of ${length} tokens plus the next one. Use a longer text or a smaller \`data.max_len\`.`,
      train.file,
    );
  }
  const toSplit = (chunks: TokenChunks, count: number): Split => ({
    x: sliceRows(chunks.x, length, 0, count),
    xShape: [count, length],
    y: sliceRows(chunks.y, length, 0, count),
    yShape: [count, length],
    count,
  });
  const html = fitted?.html;
  return {
    train: toSplit(trainChunks, Math.min(trainChunks.count, limits.train)),
    validation: toSplit(validationChunks, Math.min(validationChunks.count, limits.validation)),
    inputKind: 'tokens',
    timesteps: length,
    features: 1,
    vocabulary: tokenizer.vocabulary,
    classes: tokenizer.vocabulary.tokens.length,
    preprocessing: {
      format: PREPROCESSING_FORMAT,
      version: PREPROCESSING_VERSION,
      task: 'next-token',
      inputKind: 'tokens',
      timesteps: length,
      features: 1,
      tokenizer: tokenizer.toState(),
      padding: { max_len: length, padding: data.padding, truncating: data.truncating },
    },
    ...(html && html.tags > 0 ? { stats: { htmlRemoved: { ...html, fraction: html.characters / Math.max(1, trainText.length) } } } : {}),
  };
}
