/**
 * The Large Movie Review dataset (Maas et al. 2011) as labelled text: 25,000 training and 25,000
 * test reviews, label 1 = positive. A local copy is used when one is given (never the network);
 * otherwise the official archive is downloaded once into a cache.
 *
 * Local copies: an extracted `aclImdb/` folder ({train,test}/{pos,neg}/<id>_<rating>.txt), the
 * `aclImdb_v1.tar.gz` archive, or a folder with `imdb_train.csv.gz` and `imdb_test.csv.gz`
 * (columns id,rating,label,text).
 */
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { downloadOnce } from './download';
import { readDataText } from './readSource';
import { readTextExamples, type TextExample, type TextExamples } from './records';
import { DataError, type DataProgress } from './types';

export const IMDB_ARCHIVE_URL = 'https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz';
const ARCHIVE_NAME = 'aclImdb_v1.tar.gz';
const CSV_NAMES = { train: 'imdb_train.csv.gz', test: 'imdb_test.csv.gz' } as const;
const REVIEW_PATH = /(?:^|\/)aclImdb\/(train|test)\/(pos|neg)\/(\d+)_(\d+)\.txt$/;
const HOW_TO_POINT =
  'Set `data.imdb_path` (or the SEQLAB_IMDB environment variable) to an extracted aclImdb folder, aclImdb_v1.tar.gz, or a folder with imdb_train.csv.gz and imdb_test.csv.gz.';

export interface ImdbSplits {
  train: TextExamples;
  test: TextExamples;
}

export interface ImdbOptions {
  specDir: string;
  /** `data.imdb_path`, relative to the spec file. */
  localPath?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onProgress?: (progress: DataProgress) => void;
}

/** Where the data comes from, in order: `data.imdb_path`, SEQLAB_IMDB, the download cache. */
export async function loadImdb({ specDir, localPath, env = process.env, signal, onProgress }: ImdbOptions): Promise<ImdbSplits> {
  const local = localPath ? resolve(specDir, localPath) : env.SEQLAB_IMDB ? resolve(env.SEQLAB_IMDB) : undefined;
  if (local) {
    onProgress?.({ stage: 'read', message: `Reading the IMDB dataset from ${local}` });
    return readLocalImdb(local);
  }
  const cacheRoot = env.SEQLAB_CACHE ? resolve(env.SEQLAB_CACHE) : join(homedir(), '.cache', 'sequence-lab');
  const archive = join(cacheRoot, 'imdb', ARCHIVE_NAME);
  const read = (file: string) => {
    onProgress?.({ stage: 'read', message: 'Reading the IMDB archive' });
    return readImdbArchive(file);
  };
  return downloadOnce(env.SEQLAB_IMDB_URL || IMDB_ARCHIVE_URL, archive, read, {
    what: 'the IMDB dataset',
    offline: HOW_TO_POINT,
    signal,
    onProgress,
  });
}

export async function readLocalImdb(path: string): Promise<ImdbSplits> {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) throw new DataError(`no IMDB copy here. ${HOW_TO_POINT}`, path);
  if (info.isFile()) {
    if (/\.(tar\.gz|tgz)$/.test(path)) return readImdbArchive(path);
    throw new DataError(`this file is not an IMDB copy. ${HOW_TO_POINT}`, path);
  }
  const has = (...parts: string[]) => statSync(join(path, ...parts), { throwIfNoEntry: false }) !== undefined;
  if (has('train', 'pos') && has('test', 'pos')) return readImdbFolder(path);
  if (has('aclImdb', 'train', 'pos')) return readImdbFolder(join(path, 'aclImdb'));
  if (has(CSV_NAMES.train) && has(CSV_NAMES.test)) return readImdbCsv(path);
  if (has(ARCHIVE_NAME)) return readImdbArchive(join(path, ARCHIVE_NAME));
  throw new DataError(`this folder holds no IMDB copy. ${HOW_TO_POINT}`, path);
}

/** The CSV form: `imdb_train.csv.gz` / `imdb_test.csv.gz` with columns id,rating,label,text. */
async function readImdbCsv(folder: string): Promise<ImdbSplits> {
  const read = async (name: string) => {
    const file = join(folder, name);
    return readTextExamples(await readDataText(file), file, 'csv', { text: 'text', label: 'label', value: 'rating' });
  };
  // Both files at once: one gunzips on the thread pool while the other is parsed.
  const [train, test] = await Promise.all([read(CSV_NAMES.train), read(CSV_NAMES.test)]);
  return { train, test };
}

function readImdbFolder(root: string): ImdbSplits {
  const split = (name: 'train' | 'test'): TextExamples => {
    const reviews: Review[] = [];
    for (const polarity of ['neg', 'pos'] as const) {
      const folder = join(root, name, polarity);
      for (const entry of readdirSync(folder)) {
        const match = /^(\d+)_(\d+)\.txt$/.exec(entry);
        if (match) reviews.push({ split: name, positive: polarity === 'pos', id: Number(match[1]), text: readFileSync(join(folder, entry), 'utf8') });
      }
    }
    return toExamples(reviews, join(root, name));
  };
  return { train: split('train'), test: split('test') };
}

/** Streams the archive through gunzip and tar, keeping only the labelled reviews (not `unsup/`). */
export async function readImdbArchive(file: string): Promise<ImdbSplits> {
  const reviews: Review[] = [];
  const entries = extract();
  const unpacking = pipeline(createReadStream(file), createGunzip(), entries);
  // Failures also surface through the entry iterator below; this keeps them from going unhandled meanwhile.
  unpacking.catch(() => undefined);
  try {
    for await (const entry of entries) {
      const match = REVIEW_PATH.exec(entry.header.name);
      if (!match) {
        entry.resume();
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      reviews.push({ split: match[1] as Review['split'], positive: match[2] === 'pos', id: Number(match[3]), text: Buffer.concat(chunks).toString('utf8') });
    }
    await unpacking;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataError(`cannot read this as the IMDB archive (${reason}). If it is a broken download, delete it so that it is fetched again.`, file);
  }
  const train = toExamples(reviews.filter((review) => review.split === 'train'), file);
  const test = toExamples(reviews.filter((review) => review.split === 'test'), file);
  if (train.examples.length === 0 || test.examples.length === 0) {
    throw new DataError(`this archive has no aclImdb/train and aclImdb/test reviews. ${HOW_TO_POINT}`, file);
  }
  return { train, test };
}

interface Review {
  split: 'train' | 'test';
  positive: boolean;
  id: number;
  text: string;
}

/** Negative then positive, by id: the same order whatever order the archive or folder lists. */
function toExamples(reviews: Review[], file: string): TextExamples {
  const examples: TextExample[] = reviews
    .sort((a, b) => Number(a.positive) - Number(b.positive) || a.id - b.id)
    // `line` is the review's position in its split: archive entries have no lines of their own.
    .map((review, i) => ({ text: review.text, label: review.positive ? '1' : '0', line: i + 1 }));
  return { file, examples };
}
