/** `data.imdb_preprocessing`: its default, its values, and what the checker says around it. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkSpec } from '../../src/language/check';
import type { SpecDiagnostic } from '../../src/language/types';

const MODEL = 'model:\n  - type: embedding\n    output_dim: 8\n  - type: lstm\n    units: 4\n  - type: dense\n    units: 1\n    activation: sigmoid\n';

function imdbSpec(dataLines: string): string {
  return `data:\n  source: imdb\n  max_len: 50\n  validation: {source: test}\n${dataLines}${MODEL}`;
}

/** `line:col-line:col`, one-based, as `seqlab check` prints. */
function located(diagnostics: readonly SpecDiagnostic[]): string[] {
  return diagnostics.map(({ range, severity, message }) => `${range.start.line + 1}:${range.start.character + 1}-${range.end.line + 1}:${range.end.character + 1} ${severity} ${message}`);
}

describe('data.imdb_preprocessing', () => {
  it("defaults to today's tokenizer preprocessing", () => {
    const { spec, diagnostics } = checkSpec(imdbSpec(''));
    assert.deepEqual(diagnostics, []);
    assert.equal(spec?.data.imdb_preprocessing, 'tokenizer');
  });

  it('resolves keras, with vocab_size as num_words and the embedding sized from it', () => {
    const { spec, diagnostics } = checkSpec(imdbSpec('  imdb_preprocessing: keras\n  tokenizer:\n    vocab_size: 5000\n'));
    assert.deepEqual(diagnostics, []);
    assert.equal(spec?.data.imdb_preprocessing, 'keras');
    assert.deepEqual(spec?.model[0], { type: 'embedding', output_dim: 8, input_dim: 5000, mask_zero: false });
  });

  it('warns, on each key, that tokenizer fields other than vocab_size do not apply to keras', () => {
    const { spec, diagnostics } = checkSpec(imdbSpec('  imdb_preprocessing: keras\n  tokenizer:\n    vocab_size: 5000\n    strip_html: true\n    oov_token: "[UNK]"\n'));
    assert.ok(spec, 'warnings only');
    assert.deepEqual(located(diagnostics), [
      "8:17-8:21 warning With `imdb_preprocessing: keras` reviews are split as Keras' IMDB arrays were (lowercase, `<br />` kept as \"br\"); only `tokenizer.vocab_size` (Keras' `num_words`) applies, so `strip_html` is ignored.",
      "9:16-9:23 warning With `imdb_preprocessing: keras` reviews are split as Keras' IMDB arrays were (lowercase, `<br />` kept as \"br\"); only `tokenizer.vocab_size` (Keras' `num_words`) applies, so `oov_token` is ignored.",
    ]);
  });

  it('warns that it is ignored for a source other than imdb', () => {
    const text = `data:\n  source: reviews.csv\n  max_len: 50\n  imdb_preprocessing: keras\n${MODEL}`;
    assert.deepEqual(located(checkSpec(text).diagnostics), [
      '4:23-4:28 warning `imdb_preprocessing` only applies to `source: imdb`; it is ignored for `reviews.csv`.',
    ]);
  });

  it('rejects a value other than keras or tokenizer', () => {
    const { spec, diagnostics } = checkSpec(imdbSpec('  imdb_preprocessing: tfds\n'));
    assert.equal(spec, undefined);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].severity, 'error');
    assert.match(diagnostics[0].message, /tokenizer.*keras|keras.*tokenizer/);
  });

  it("is keras in the seed's example, which is compared with Keras' figure", () => {
    const file = join(__dirname, '..', '..', 'examples', 'imdb-sentiment.seqlab.yaml');
    assert.equal(checkSpec(readFileSync(file, 'utf8'), { specPath: file }).spec?.data.imdb_preprocessing, 'keras');
  });
});
