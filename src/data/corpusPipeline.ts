/**
 * A text corpus -> next-token chunks (`[n, max_len]` ids -> the same chunk shifted by one).
 * Large corpora are tokenized in pieces (yielding, reporting progress, honouring a stop), only as
 * far as `data.limit` or a preview needs (the vocabulary is fitted on what trains, as for text
 * examples), and refused beyond MAX_CORPUS_TOKENS: at char level before tokenizing.
 */
import { basename } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DataSpec } from '../language/types';
import { nextTokenChunks, type TokenChunks } from './nextToken';
import type { PipelineResult } from './prepared';
import { PREPROCESSING_FORMAT, PREPROCESSING_VERSION } from './preprocessing';
import type { ExampleLimits } from './selection';
import { TokenizerFitter, type Tokenizer } from './tokenizer';
import { DataError, type DataProgress, type Split } from './types';

/** Chunk length when `data.max_len` is not given. */
export const DEFAULT_CHUNK_LENGTH = 100;

/** Token ids of a corpus (training and validation) held in memory at most: 4 bytes each, 800 MB. */
export const MAX_CORPUS_TOKENS = 200_000_000;

/** Characters tokenized between two yields to the event loop. */
const PIECE_CHARACTERS = 4 * 1024 * 1024;

export interface Corpus {
  file: string;
  text: string;
}

export interface CorpusContext {
  signal?: AbortSignal;
  onProgress?: (progress: DataProgress) => void;
  /** Token ids held at most; default MAX_CORPUS_TOKENS (tests lower it). */
  maxTokens?: number;
}

/**
 * Without a separate validation corpus the text is cut in time (the last fraction validates), as
 * for char-rnn: random chunks would put overlapping context on both sides.
 */
export async function prepareCorpus(
  train: Corpus,
  validation: Corpus | undefined,
  fraction: number,
  data: DataSpec,
  limits: ExampleLimits,
  fixedTokenizer?: Tokenizer,
  context: CorpusContext = {},
): Promise<PipelineResult> {
  const cut = validation ? train.text.length : Math.round(train.text.length * (1 - fraction));
  const trainText = train.text.slice(0, cut);
  const validationText = validation ? validation.text : train.text.slice(cut);
  const length = data.max_len ?? DEFAULT_CHUNK_LENGTH;
  // Chunks overlap by one token (the last target), so `n` chunks need `n * length + 1` ids.
  const neededTokens = (chunks: number) => (Number.isFinite(chunks) ? chunks * length + 1 : Infinity);
  const maxTokens = context.maxTokens ?? MAX_CORPUS_TOKENS;
  const overLimit = () => tooLarge(train.file, `more than ${maxTokens.toLocaleString('en-US')} tokens`, maxTokens);
  // A character is at most one token: at char level an oversized corpus is refused before tokenizing.
  const characters = Math.min(trainText.length, neededTokens(limits.train)) + Math.min(validationText.length, neededTokens(limits.validation));
  if (data.tokenizer.level === 'char' && characters > maxTokens) throw tooLarge(train.file, `${characters.toLocaleString('en-US')} characters`, maxTokens);
  // One id more than allowed tells "over the limit" apart from "exactly at it".
  const trainCap = Math.min(neededTokens(limits.train), maxTokens + 1);
  const fitted = fixedTokenizer ? undefined : await fitInPieces(trainText, data, trainCap, train.file, context);
  const tokenizer = fixedTokenizer ?? fitted!.tokenizer;
  const trainIds = fitted?.ids ?? tokenizer.encode(trainText, trainCap);
  if (trainIds.length > maxTokens) throw overLimit();
  const trainChunks = nextTokenChunks(trainIds, length);
  const validationIds = tokenizer.encode(validationText, Math.min(neededTokens(limits.validation), maxTokens - trainIds.length + 1));
  if (trainIds.length + validationIds.length > maxTokens) throw overLimit();
  const validationChunks = nextTokenChunks(validationIds, length);
  if (trainChunks.count === 0) {
    throw new DataError(
      `the training text is too short for one chunk of ${length} tokens plus the next one. Use a longer text or a smaller \`data.max_len\`.`,
      train.file,
    );
  }
  const toSplit = (chunks: TokenChunks, count: number): Split => ({
    x: chunks.x.subarray(0, count * length),
    xShape: [count, length],
    y: chunks.y.subarray(0, count * length),
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

/**
 * Fits the tokenizer on the training text piece by piece (cut at line ends, else between words),
 * up to `maxTokens` tokens, yielding to the event loop, reporting progress and honouring a stop
 * between pieces.
 */
async function fitInPieces(text: string, data: DataSpec, maxTokens: number, file: string, context: CorpusContext) {
  const fitter = new TokenizerFitter(data.tokenizer, maxTokens, data.tokenizer.level === 'char' ? text.length : undefined);
  for (let start = 0; start < text.length; ) {
    const end = pieceEnd(text, start);
    const more = fitter.add(text.slice(start, end));
    start = end;
    if (!more) break;
    if (text.length > PIECE_CHARACTERS) {
      context.onProgress?.({ stage: 'read', message: `Tokenizing ${file}`, fraction: start / text.length });
      await nextTurn();
      context.signal?.throwIfAborted();
    }
  }
  fitter.endText();
  const { tokenizer, encoded, html } = fitter.finish();
  return { tokenizer, ids: encoded[0]!, html };
}

/**
 * The end of the piece starting at `start`: a line end in the second half of PIECE_CHARACTERS,
 * else a space, else (one huge word) anywhere but inside a surrogate pair.
 */
function pieceEnd(text: string, start: number): number {
  const end = start + PIECE_CHARACTERS;
  if (end >= text.length) return text.length;
  for (const separator of ['\n', ' ']) {
    const at = text.lastIndexOf(separator, end);
    if (at > start + PIECE_CHARACTERS / 2) return at + 1;
  }
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}

function idBytes(tokens: number): string {
  return tokens * 4 >= 1e6 ? `${Math.round((tokens * 4) / 1e6).toLocaleString('en-US')} MB` : `${(tokens * 4).toLocaleString('en-US')} bytes`;
}

function tooLarge(file: string, size: string, maxTokens: number): DataError {
  return new DataError(
    `the text has ${size}; Sequence Lab holds a corpus in memory as 4-byte token ids, at most ${maxTokens.toLocaleString('en-US')} of them for training and validation together (a documented limit, ${idBytes(maxTokens)} of ids). ` +
      `Set \`data.limit\` to train on the first chunks only (tokenizing stops there), or train on the file's first lines: e.g. \`head -n 1000000 ${basename(file)} > part.txt\` (check that the slice holds fewer than ${maxTokens.toLocaleString('en-US')} tokens), then point \`data.source\` at the slice.`,
    file,
  );
}
