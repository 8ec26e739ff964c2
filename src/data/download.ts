/**
 * Downloads a file into a cache exactly once: the body streams into a temporary file beside the
 * destination, a caller-supplied check reads it, and only then is it renamed into place, so a
 * crash, an abort or a truncated transfer never leaves a half-written file that would be trusted.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataError, type DataProgress } from './types';

const MAX_REDIRECTS = 5;
const PROGRESS_STEP_BYTES = 1 << 20;

export interface DownloadOptions {
  /** What is downloaded, for messages, e.g. "the IMDB dataset". */
  what: string;
  /** How to do without the download (which setting names a local copy), for the message when it fails. */
  offline?: string;
  signal?: AbortSignal;
  onProgress?: (progress: DataProgress) => void;
}

async function isCached(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}

/**
 * Downloads `url` to `destination` unless it is there, and returns what `read` makes of the file;
 * a fresh download is kept only if `read` accepts it.
 */
export async function downloadOnce<T>(url: string, destination: string, read: (file: string) => Promise<T>, options: DownloadOptions): Promise<T> {
  if (await isCached(destination)) return read(destination);
  await mkdir(dirname(destination), { recursive: true });
  const temporary = `${destination}.${process.pid}.${Date.now()}.partial`;
  try {
    await fetchToFile(url, temporary, options);
    const result = await read(temporary);
    await rename(temporary, destination);
    return result;
  } finally {
    await rm(temporary, { force: true });
  }
}

async function fetchToFile(url: string, file: string, options: DownloadOptions): Promise<void> {
  const { signal, onProgress, what } = options;
  const response = await request(url, options);
  const total = Number(response.headers['content-length']) || undefined;
  let received = 0;
  let reported = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (onProgress && received - reported >= PROGRESS_STEP_BYTES) {
        reported = received;
        onProgress({
          stage: 'download',
          message: `Downloading ${what}: ${megabytes(received)}${total ? ` of ${megabytes(total)}` : ''}`,
          fraction: total ? received / total : undefined,
        });
      }
      done(null, chunk);
    },
  });
  try {
    await pipeline(response, counter, createWriteStream(file), { signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw downloadError(url, options, error);
  }
  if (total !== undefined && received !== total) {
    throw new DataError(`the download of ${what} from ${url} stopped after ${megabytes(received)} of ${megabytes(total)}. Try again.`);
  }
  onProgress?.({ stage: 'download', message: `Downloaded ${what} (${megabytes(received)})`, fraction: 1 });
}

function request(url: string, options: DownloadOptions, redirects = 0): Promise<IncomingMessage> {
  const { signal, what } = options;
  return new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new DataError(`"${url}" is not a valid URL for downloading ${what}. Fix the URL setting.`));
      return;
    }
    const get = parsed.protocol === 'https:' ? httpsGet : httpGet;
    const req = get(parsed, { signal }, (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location && redirects < MAX_REDIRECTS) {
        response.resume();
        resolve(request(new URL(location, parsed).toString(), options, redirects + 1));
        return;
      }
      if (status !== 200) {
        response.resume();
        reject(downloadError(url, options, new Error(`HTTP ${status}`)));
        return;
      }
      resolve(response);
    });
    req.on('error', (error) => reject(signal?.aborted ? error : downloadError(url, options, error)));
  });
}

function downloadError(url: string, { what, offline }: DownloadOptions, cause: unknown): DataError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new DataError(
    `cannot download ${what} from ${url} (${reason}). Check the network connection, or use a local copy instead of downloading.${offline ? ` ${offline}` : ''}`,
  );
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
