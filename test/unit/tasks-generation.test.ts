import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../src/data/random';
import { GenerationError, generateTokens, generatedText, generationRandom, nextTokenModel, type NextTokenModel } from '../../src/tasks/generation';
import { rankTokens, sampleToken } from '../../src/tasks/sampling';
import type { PreprocessingState } from '../../src/data/preprocessing';

test('ranking puts the most probable first, ties by id, and leaves out excluded ids', () => {
  assert.deepEqual(rankTokens([0.1, 0.4, 0.1, 0.4], new Set([3])).map((r) => r.id), [1, 0, 2]);
});

test('temperature 0 always takes the most probable token and draws nothing', () => {
  let draws = 0;
  const random = () => (draws++, 0.99);
  assert.equal(sampleToken(rankTokens([0.2, 0.5, 0.3]), { temperature: 0, topK: 0 }, random), 1);
  assert.equal(draws, 0);
});

test('sampling at temperature 1 follows the distribution (frequencies of 20,000 seeded draws)', () => {
  const probabilities = [0.5, 0.3, 0.15, 0.05];
  const ranked = rankTokens(probabilities);
  const random = seededRandom(7);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 20_000; i++) counts[sampleToken(ranked, { temperature: 1, topK: 0 }, random)]++;
  counts.forEach((count, id) => assert.ok(Math.abs(count / 20_000 - probabilities[id]) < 0.015, `token ${id}: ${count}`));
});

test('temperature reweights p^(1/T): at T = 0.5 the odds of two tokens are squared', () => {
  const ranked = rankTokens([0.6, 0.4]);
  const random = seededRandom(11);
  let first = 0;
  for (let i = 0; i < 20_000; i++) if (sampleToken(ranked, { temperature: 0.5, topK: 0 }, random) === 0) first++;
  assert.ok(Math.abs(first / 20_000 - 0.36 / (0.36 + 0.16)) < 0.015, String(first));
});

test('top-k draws only among the k most probable tokens; zero-probability tokens are never drawn', () => {
  const ranked = rankTokens([0.1, 0.2, 0.3, 0.4, 0]);
  const random = seededRandom(3);
  const seen = new Set<number>();
  for (let i = 0; i < 2_000; i++) seen.add(sampleToken(ranked, { temperature: 5, topK: 2 }, random));
  assert.deepEqual([...seen].sort(), [2, 3]);
  for (let i = 0; i < 2_000; i++) assert.notEqual(sampleToken(rankTokens([0.5, 0.5, 0]), { temperature: 50, topK: 0 }, random), 2);
});

/** A character model over "ab": after "a" it says "b" with probability 0.9, after "b" it says "a" with 0.7. */
function fakeModel(window = 4): NextTokenModel & { calls: Int32Array[] } {
  const vocabulary = ['', '<OOV>', 'a', 'b'];
  const calls: Int32Array[] = [];
  return {
    vocabulary,
    level: 'char',
    window,
    calls,
    tokenize: (text) => Int32Array.from([...text].map((c) => (c === 'a' ? 2 : c === 'b' ? 3 : 1))),
    run(ids) {
      calls.push(ids.slice());
      const out = new Float32Array(window * 4);
      ids.forEach((id, t) => out.set(id === 2 ? [0, 0.05, 0.05, 0.9] : [0, 0.1, 0.7, 0.2], t * 4));
      return out;
    },
  };
}

test('generation feeds the last `window` tokens, context first, and reads the row of the last one', () => {
  const model = fakeModel(4);
  const tokens = [...generateTokens(model, { seed: 'ab', length: 4, temperature: 0, topK: 0 }, seededRandom(1))];
  assert.equal(generatedText('ab', tokens, 'char'), 'ababab');
  assert.deepEqual(Array.from(model.calls[0]), [2, 3, 0, 0]);
  assert.deepEqual(Array.from(model.calls[3]), [3, 2, 3, 2], 'the window slides once full');
  assert.equal(tokens[0].p, 0.7);
  assert.deepEqual(tokens[0].top.map((t) => t.token), ['a', 'b', '<OOV>'], 'padding is never an alternative');
});

test('an output layer wider than the vocabulary (vocab_size above the data): rows read at its width, extra ids never drawn', () => {
  const narrow = fakeModel(4);
  const units = 7;
  const wide: NextTokenModel = {
    ...narrow,
    run(ids) {
      const out = new Float32Array(4 * units);
      // The narrow model's rows, then 3 ids the vocabulary does not have, the last one likely.
      ids.forEach((id, t) => out.set([...Array.from(narrow.run(Int32Array.of(id))).slice(0, 4), 0, 0, 0.5], t * units));
      return out;
    },
  };
  const request = { seed: 'ab', length: 6, temperature: 0, topK: 0 };
  assert.equal(generatedText('ab', [...generateTokens(wide, request, seededRandom(1))], 'char'), 'abababab');
  const sampled = [...generateTokens(wide, { ...request, temperature: 5 }, seededRandom(2))];
  assert.ok(sampled.every((token) => token.id < 4 && token.top.every((alternative) => alternative.token !== '')));
});

test('the same seed, settings and random stream give the same text; another sample number gives another', () => {
  const request = { seed: 'a', length: 60, temperature: 1, topK: 0 };
  const text = (sample: number) => generatedText('a', [...generateTokens(fakeModel(), request, generationRandom(42, sample))], 'char');
  assert.equal(text(0), text(0));
  assert.notEqual(text(0), text(1));
});

test('a request that cannot run says what to change', () => {
  const run = (request: Partial<Parameters<typeof generateTokens>[1]>) => [...generateTokens(fakeModel(), { seed: 'ab', length: 5, temperature: 1, topK: 0, ...request }, seededRandom(1))];
  assert.throws(() => run({ seed: '' }), (error: Error) => error instanceof GenerationError && /seed text has no character/.test(error.message));
  assert.throws(() => run({ length: 0 }), /length must be a whole number from 1/);
  assert.throws(() => run({ temperature: -1 }), /temperature must be 0/);
  assert.throws(() => run({ topK: 1.5 }), /top-k must be a whole number/);
});

test('words are joined with spaces, characters run together', () => {
  assert.equal(generatedText('to be ', [{ token: 'or' }, { token: 'not' }], 'word'), 'to be or not');
  assert.equal(generatedText('to b', [{ token: 'e' }], 'char'), 'to be');
});

test('only next-token models generate', () => {
  const state = { format: 'seqlab-preprocessing', version: 1, task: 'binary', inputKind: 'tokens', timesteps: 3, features: 1 } as PreprocessingState;
  assert.throws(() => nextTokenModel(state, () => []), /binary model: only next-token models/);
});
