/**
 * The `imdb` source against data this test makes itself: a small archive in the official
 * aclImdb_v1.tar.gz layout served on loopback (download once into a cache), an extracted folder,
 * the archive as a local file, and the CSV.gz form.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { prepareData } from '../../src/data/prepare';
import { DataError, type DataProgress } from '../../src/data/types';
import type { DataSpec } from '../../src/language/types';
import { specWith } from '../fixtures/data/specs';

/** path inside aclImdb/ -> review text. Train: 3 pos + 2 neg; test: 2 pos + 2 neg; unsup is ignored. */
const REVIEWS: Record<string, string> = {
  'train/pos/0_9.txt': 'A great film.<br /><br />Loved it!',
  'train/pos/1_7.txt': 'Great acting and a fun story.',
  'train/pos/10_8.txt': 'Fun, great, wonderful.',
  'train/neg/2_1.txt': 'Awful and boring.',
  'train/neg/3_2.txt': 'Boring plot, awful acting.',
  'test/pos/0_10.txt': 'Great fun.',
  'test/pos/5_8.txt': 'Wonderful!',
  'test/neg/1_3.txt': 'So boring.',
  'test/neg/4_1.txt': 'Awful.',
  'train/unsup/0_0.txt': 'Unlabelled review that must not be read.',
};

const root = mkdtempSync(join(tmpdir(), 'seqlab-imdb-'));
const specDir = join(root, 'project');
let archive: Buffer;
let server: Server;
let url: string;
let requests = 0;
let serveBroken = false;

async function buildArchive(): Promise<Buffer> {
  const tarball = pack();
  tarball.entry({ name: 'aclImdb/README' }, 'Large Movie Review Dataset v1.0');
  for (const [path, text] of Object.entries(REVIEWS)) tarball.entry({ name: `aclImdb/${path}` }, text);
  tarball.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tarball) chunks.push(chunk as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

function imdbSpec(data: Partial<DataSpec> = {}) {
  return specWith({ source: 'imdb', validation: { source: 'test' }, max_len: 8, ...data });
}

function labelsOf(split: { y: Float32Array | Int32Array }): number[] {
  return [...split.y].sort();
}

before(async () => {
  mkdirSync(specDir, { recursive: true });
  archive = await buildArchive();
  server = createServer((request, response) => {
    requests++;
    if (request.url === '/stalled.tar.gz') {
      response.writeHead(200, { 'content-length': archive.length }).write(archive.subarray(0, 100));
    } else if (request.url !== '/aclImdb_v1.tar.gz') {
      response.writeHead(404).end();
    } else if (serveBroken) {
      response.writeHead(200, { 'content-type': 'application/gzip' }).end(Buffer.from('this is not a gzip archive'));
    } else {
      response.writeHead(200, { 'content-length': archive.length }).end(archive);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/aclImdb_v1.tar.gz`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

describe('imdb source: download into the cache once', () => {
  const cache = join(root, 'cache');
  const env = () => ({ SEQLAB_IMDB_URL: url, SEQLAB_CACHE: cache });

  it('downloads the archive, parses labels from pos/neg, and ignores unsup', async () => {
    const progress: DataProgress[] = [];
    const before = requests;
    const data = await prepareData(imdbSpec(), { specDir, env: env(), onProgress: (p) => progress.push(p) });
    assert.equal(requests - before, 1);
    assert.equal(data.train.count, 5);
    assert.equal(data.validation.count, 4);
    assert.deepEqual(labelsOf(data.train), [0, 0, 1, 1, 1]);
    assert.deepEqual(labelsOf(data.validation), [0, 0, 1, 1]);
    assert.ok(!data.vocabulary?.tokens.includes('unlabelled'));
    assert.ok(!data.vocabulary?.tokens.includes('br'), 'HTML tags are stripped');
    assert.ok(progress.some((p) => p.stage === 'download' && p.fraction === 1));
    assert.deepEqual(readdirSync(join(cache, 'imdb')), ['aclImdb_v1.tar.gz']);
  });

  it('reads the cached archive on the second call without touching the server', async () => {
    const before = requests;
    const first = await prepareData(imdbSpec(), { specDir, env: env() });
    const again = await prepareData(imdbSpec(), { specDir, env: env() });
    assert.equal(requests, before);
    assert.equal(first.hash, again.hash);
  });

  it('keeps nothing from a broken download and fetches again next time', async () => {
    const freshCache = join(root, 'broken-cache');
    serveBroken = true;
    try {
      await assert.rejects(prepareData(imdbSpec(), { specDir, env: { SEQLAB_IMDB_URL: url, SEQLAB_CACHE: freshCache } }), (error: unknown) => {
        assert.ok(error instanceof DataError);
        assert.match(error.message, /cannot read this as the IMDB archive .* delete it so that it is fetched again/);
        return true;
      });
      assert.deepEqual(readdirSync(join(freshCache, 'imdb')), []);
    } finally {
      serveBroken = false;
    }
    const before = requests;
    const data = await prepareData(imdbSpec(), { specDir, env: { SEQLAB_IMDB_URL: url, SEQLAB_CACHE: freshCache } });
    assert.equal(requests - before, 1);
    assert.equal(data.train.count, 5);
  });

  it('stops a download when aborted and leaves no partial file behind', async () => {
    const stalledCache = join(root, 'stalled-cache');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    await assert.rejects(
      prepareData(imdbSpec(), { specDir, signal: controller.signal, env: { SEQLAB_IMDB_URL: url.replace('aclImdb_v1', 'stalled'), SEQLAB_CACHE: stalledCache } }),
      { name: 'AbortError' },
    );
    assert.deepEqual(readdirSync(join(stalledCache, 'imdb')), []);
  });

  it('reports an unreachable URL as a DataError saying what to do', async () => {
    await assert.rejects(
      prepareData(imdbSpec(), { specDir, env: { SEQLAB_IMDB_URL: url.replace('aclImdb_v1', 'missing'), SEQLAB_CACHE: join(root, 'c404') } }),
      // A learner without network must learn which settings name a local copy.
      /Cannot download the IMDB dataset from .* \(HTTP 404\)\. Check the network connection, or use a local copy instead of downloading\. Set `data\.imdb_path` \(or the SEQLAB_IMDB environment variable\) to an extracted aclImdb folder/,
    );
  });
});

describe('imdb source: local copies never use the network', () => {
  const offline = { SEQLAB_IMDB_URL: 'http://127.0.0.1:9/unreachable', SEQLAB_CACHE: join(root, 'unused-cache') };

  it('reads an extracted aclImdb folder given by data.imdb_path (relative to the spec)', async () => {
    for (const [path, text] of Object.entries(REVIEWS)) {
      const file = join(specDir, 'datasets', 'aclImdb', path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    const data = await prepareData(imdbSpec({ imdb_path: 'datasets' }), { specDir, env: offline });
    assert.equal(data.train.count, 5);
    assert.deepEqual(labelsOf(data.validation), [0, 0, 1, 1]);
  });

  it('reads the archive as a local file (SEQLAB_IMDB) the same as the folder', async () => {
    writeFileSync(join(root, 'aclImdb_v1.tar.gz'), archive);
    const fromArchive = await prepareData(imdbSpec(), { specDir, env: { ...offline, SEQLAB_IMDB: join(root, 'aclImdb_v1.tar.gz') } });
    const fromFolder = await prepareData(imdbSpec({ imdb_path: 'datasets/aclImdb' }), { specDir, env: offline });
    assert.equal(fromArchive.hash, fromFolder.hash);
  });

  it('reads the CSV.gz form (id,rating,label,text) and splits validation off train when asked', async () => {
    const csv = (rows: [number, number, number, string][]) =>
      gzipSync(['id,rating,label,text', ...rows.map(([id, rating, label, text]) => `${id},${rating},${label},"${text.replace(/"/g, '""')}"`)].join('\n'));
    const csvDir = join(root, 'csv');
    mkdirSync(csvDir, { recursive: true });
    writeFileSync(join(csvDir, 'imdb_train.csv.gz'), csv([[0, 2, 0, 'Awful "film"'], [1, 9, 1, 'Great'], [2, 1, 0, 'Boring'], [3, 8, 1, 'Fun']]));
    writeFileSync(join(csvDir, 'imdb_test.csv.gz'), csv([[0, 10, 1, 'Great fun'], [1, 3, 0, 'Awful']]));
    const withTest = await prepareData(imdbSpec(), { specDir, env: { ...offline, SEQLAB_IMDB: csvDir } });
    assert.deepEqual([withTest.train.count, withTest.validation.count], [4, 2]);
    assert.deepEqual(labelsOf(withTest.train), [0, 0, 1, 1]);
    const withSplit = await prepareData(imdbSpec({ validation: { split: 0.25 } }), { specDir, env: { ...offline, SEQLAB_IMDB: csvDir } });
    assert.deepEqual([withSplit.train.count, withSplit.validation.count], [3, 1]);
  });

  it('explains a missing path or a folder that holds no IMDB copy', async () => {
    await assert.rejects(
      prepareData(imdbSpec(), { specDir, env: { ...offline, SEQLAB_IMDB: join(root, 'nowhere') } }),
      /nowhere: no IMDB copy here\. Set `data\.imdb_path` \(or the SEQLAB_IMDB environment variable\)/,
    );
    mkdirSync(join(root, 'empty'), { recursive: true });
    await assert.rejects(prepareData(imdbSpec({ imdb_path: 'empty' }), { specDir: root, env: offline }), /this folder holds no IMDB copy/);
  });
});
