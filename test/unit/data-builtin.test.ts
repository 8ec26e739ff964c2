import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addingProblem, grammarCorpus, parityProblem, sentimentReviews } from '../../src/data/builtin';
import { BUILTIN_GENERATORS } from '../../src/data/builtinCatalog';
import { prepareData } from '../../src/data/prepare';
import type { DataSpec, Task } from '../../src/language/types';
import { specWith } from '../fixtures/data/specs';

const prepare = (data: Partial<DataSpec> & Pick<DataSpec, 'source'>, quick = false) =>
  prepareData(specWith(data), { specDir: '/nonexistent', quick });

describe('built-in generators', () => {
  for (const info of BUILTIN_GENERATORS) {
    const data = { source: `builtin:${info.name}`, task: info.tasks[0] as Task, generator: { samples: 300, length: 12 }, max_len: 20 };

    it(`${info.name}: deterministic from the seed, different for another seed`, async () => {
      const [a, b, c] = await Promise.all([prepare(data), prepare(data), prepare({ ...data, seed: 7 })]);
      assert.equal(a.hash, b.hash);
      assert.notEqual(a.hash, c.hash);
    });

    it(`${info.name}: shapes and input kind match the catalog`, async () => {
      const prepared = await prepare(data);
      assert.equal(prepared.inputKind, info.input);
      assert.ok(prepared.train.count > 0 && prepared.validation.count > 0);
      assert.equal(prepared.train.x.length, prepared.train.xShape.reduce((a, b) => a * b, 1));
      assert.equal(prepared.train.y.length, prepared.train.yShape.reduce((a, b) => a * b, 1));
      if (info.input === 'values') {
        assert.deepEqual(prepared.train.xShape.slice(1), [prepared.timesteps, info.features]);
      } else {
        // The checker sizes the Embedding from vocabularySize: it must be exact.
        assert.equal(prepared.vocabulary?.tokens.length, info.vocabularySize);
        assert.ok(Math.max(...prepared.train.x) < (info.vocabularySize ?? 0));
      }
    });
  }

  it('adding: the target is the sum of the two marked values, one marker in each half', () => {
    const { x, y, count, length } = addingProblem({ samples: 50, length: 10 }, 1);
    for (let n = 0; n < count; n++) {
      const steps = Array.from({ length }, (_, t) => ({ value: x[(n * length + t) * 2], marked: x[(n * length + t) * 2 + 1] === 1, t }));
      const marked = steps.filter((step) => step.marked);
      assert.equal(marked.length, 2);
      assert.ok(marked[0].t < 5 && marked[1].t >= 5);
      assert.ok(Math.abs(y[n] - (marked[0].value + marked[1].value)) < 1e-6);
    }
  });

  it('parity: the label is 1 exactly when the number of ones is odd', () => {
    const { x, y, count, length } = parityProblem({ samples: 100, length: 7 }, 3);
    for (let n = 0; n < count; n++) {
      const ones = Array.from(x.subarray(n * length, (n + 1) * length)).reduce((a, b) => a + b, 0);
      assert.equal(y[n], ones % 2);
    }
    assert.ok(y.some((label) => label === 0) && y.some((label) => label === 1));
  });

  it('sentiment: balanced, and the label follows the sentiment word flipped by a negation (learnable)', () => {
    const positive = /\b(good|great|excellent|wonderful|brilliant|enjoyable|fun|beautiful|superb|moving|loved?|liked?|enjoy(ed)?|adored?)\b/;
    const reviews = sentimentReviews({ samples: 1000, length: 0 }, 5);
    for (const review of reviews) {
      const expected = positive.test(review.text) !== /\bnot\b/.test(review.text);
      assert.equal(review.label, expected ? '1' : '0', review.text);
    }
    const positives = reviews.filter((review) => review.label === '1').length;
    assert.ok(positives > 400 && positives < 600);
    assert.ok(reviews.some((review) => /\bnot\b/.test(review.text) && review.label === '1'));
  });

  it('grammar: subjects agree with their verbs in number', () => {
    const sentences = grammarCorpus({ samples: 200, length: 0 }, 9).split('. ');
    for (const sentence of sentences) {
      const words = sentence.replace('.', '').split(' ');
      const verbIndex = words.findIndex((word) => /^(see|chase|like|find|sleep|run|sing)s?$/.test(word));
      const pluralSubject = words[verbIndex - 1].endsWith('s');
      assert.equal(words[verbIndex].endsWith('s'), !pluralSubject, sentence);
    }
  });

  it('sentiment probes encode literal text with the generator vocabulary', async () => {
    const prepared = await prepare({ source: 'builtin:sentiment', generator: { samples: 200, length: 0 }, max_len: 6 });
    const probe = prepared.encodeText('The plot was not GOOD, dear reader');
    assert.deepEqual(probe.tokens, ['plot', 'was', 'not', 'good', '<OOV>', '<OOV>']);
    assert.deepEqual(probe.xShape, [1, 6]);
  });

  it('refuses a task the generator does not make, with a fix', async () => {
    await assert.rejects(prepare({ source: 'builtin:sine', task: 'binary' }), /The generator builtin:sine makes data for task `forecast`, not `binary`\. Change `data\.task`/);
  });
});
