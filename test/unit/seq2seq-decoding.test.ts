import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../src/data/random';
import { beamSearch, decode, DecodeSettingsError, greedyDecode, sampleDecode, topTokens, type StepFunction, type StepInput } from '../../src/tasks/seq2seq/decoding';

const PAD = 0;
const START = 1;
const END = 2;
const excluded = new Set([PAD, START]);

/** A decoder whose state is the prefix so far; `table` gives the next-token distribution of a prefix. */
function prefixModel(table: (prefix: readonly number[]) => number[]): StepFunction<number[]> & { calls: number[] } {
  const step = ((inputs: readonly StepInput<number[]>[]) => {
    step.calls.push(inputs.length);
    return inputs.map(({ state, token }) => {
      const prefix = token === START ? [] : [...state, token];
      return { probabilities: table(prefix), state: prefix };
    });
  }) as unknown as StepFunction<number[]> & { calls: number[] };
  step.calls = [];
  return step;
}

/** Vocabulary [pad, start, end, A, B]: after nothing A 0.6 / B 0.4; after A the end only 0.4; after B the end 0.9. */
const TRAP = prefixModel((prefix) => {
  if (prefix.length === 0) return [0, 0, 0, 0.6, 0.4];
  if (prefix.length >= 2) return [0, 0, 1, 0, 0];
  return prefix[0] === 3 ? [0, 0, 0.4, 0.3, 0.3] : [0, 0, 0.9, 0.05, 0.05];
});

const settings = { startToken: START, endToken: END, maxLength: 6, excluded };

test('beam search finds a more probable output than greedy decoding (0.36 against 0.24)', () => {
  const [greedy] = greedyDecode([[]], TRAP, settings);
  assert.deepEqual(greedy.ids, [3]);
  assert.ok(Math.abs(Math.exp(greedy.logProbability) - 0.24) < 1e-12);
  const [beam] = beamSearch([[]], TRAP, { ...settings, beamWidth: 2, lengthPenalty: 0 });
  assert.deepEqual(beam[0].ids, [4]);
  assert.ok(Math.abs(Math.exp(beam[0].logProbability) - 0.36) < 1e-12);
  assert.ok(beam[0].finished);
  // The beam's other candidates come after it, best first; the greedy output is among them.
  assert.ok(beam.some((candidate) => candidate.ids.join() === '3'));
  assert.ok(beam.every((candidate, i) => i === 0 || candidate.score <= beam[i - 1].score));
});

/** A random but fixed next-token table over 8 tokens, by prefix (seeded by the prefix). */
function randomTable(seed: number) {
  return prefixModel((prefix) => {
    const random = seededRandom(seed * 7919 + prefix.reduce((h, id) => h * 31 + id + 1, 17));
    const weights = Array.from({ length: 8 }, (_, id) => (id === PAD || id === START ? 0 : random() ** 3 + (id === END ? 0.05 * prefix.length : 0)));
    const total = weights.reduce((a, b) => a + b, 0);
    return weights.map((w) => w / total);
  });
}

test('beam search of width 1 equals greedy decoding, output for output, over many random models and several sources at once', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const model = randomTable(seed);
    const sources = [[], [], []].map(() => [] as number[]);
    const greedy = greedyDecode(sources, model, { ...settings, maxLength: 12, alternatives: 3 });
    const beam = beamSearch(sources, model, { ...settings, maxLength: 12, alternatives: 3, beamWidth: 1, lengthPenalty: 1 });
    greedy.forEach((output, i) => {
      assert.equal(beam[i].length, 1);
      assert.deepEqual(beam[i][0].ids, output.ids, `seed ${seed}`);
      assert.deepEqual(beam[i][0].steps, output.steps);
      assert.equal(beam[i][0].logProbability, output.logProbability);
      assert.equal(beam[i][0].finished, output.finished);
    });
  }
});

test('a wider beam never finds a less probable best output (no length normalisation)', () => {
  for (let seed = 1; seed <= 30; seed++) {
    const model = randomTable(seed);
    const [greedy] = greedyDecode([[]], model, { ...settings, maxLength: 8 });
    const [beam] = beamSearch([[]], model, { ...settings, maxLength: 8, beamWidth: 4, lengthPenalty: 0 });
    const bestFinished = beam.find((candidate) => candidate.finished);
    if (greedy.finished && bestFinished) assert.ok(bestFinished.logProbability >= greedy.logProbability - 1e-12, `seed ${seed}`);
  }
});

test('length normalisation ranks by log P / length^α: a long likely output beats a short one at α = 1, not at α = 0', () => {
  // Short: the end at once, 0.3 (per token log 0.3 = -1.20). Long: A A A end, 0.7 × 0.6 × 0.6 × 0.6 = 0.151 (per token -0.47).
  const model = prefixModel((prefix) => {
    if (prefix.length === 0) return [0, 0, 0.3, 0.7, 0];
    if (prefix.length < 3) return [0, 0, 0.4, 0.6, 0];
    return [0, 0, 0.6, 0.4, 0];
  });
  const plain = beamSearch([[]], model, { ...settings, beamWidth: 2, lengthPenalty: 0 })[0];
  assert.deepEqual(plain[0].ids, []);
  const normalised = beamSearch([[]], model, { ...settings, beamWidth: 2, lengthPenalty: 1 })[0];
  assert.deepEqual(normalised[0].ids, [3, 3, 3]);
  assert.ok(Math.abs(normalised[0].score - Math.log(0.7 * 0.6 * 0.6 * 0.6) / 4) < 1e-12);
});

test('decoding stops at the maximum length and marks the output unfinished; the end token is never among the ids', () => {
  const never = prefixModel(() => [0, 0, 0.01, 0.99, 0]);
  const [greedy] = greedyDecode([[]], never, { ...settings, maxLength: 5 });
  assert.deepEqual(greedy.ids, [3, 3, 3, 3, 3]);
  assert.equal(greedy.finished, false);
  assert.equal(never.calls.length, 5);
  const [beam] = beamSearch([[]], never, { ...settings, maxLength: 5, beamWidth: 3, lengthPenalty: 1 });
  assert.ok(beam[0].finished, 'a hypothesis that took the end token ranks before the cut ones');
  assert.equal(beam.at(-1)!.finished, false);
  const [first] = greedyDecode([[]], TRAP, settings);
  assert.equal(first.steps.at(-1)!.id, END);
  assert.ok(!first.ids.includes(END));
});

test('excluded ids are never chosen, even when the model puts most of its mass on them', () => {
  const padding = prefixModel((prefix) => (prefix.length < 2 ? [0.8, 0.1, 0, 0.06, 0.04] : [0.9, 0, 0.1, 0, 0]));
  const [output] = greedyDecode([[]], padding, settings);
  assert.deepEqual(output.ids, [3, 3]);
  assert.deepEqual(output.steps[0].top, []);
  const [withTop] = greedyDecode([[]], padding, { ...settings, alternatives: 2 });
  assert.deepEqual(withTop.steps[0].top.map((t) => t.id), [3, 4]);
});

test('sampling is seeded: the same seed gives the same outputs, each source its own stream; it follows the distribution', () => {
  const model = randomTable(3);
  const run = (seed: number, sources: number) => sampleDecode(Array.from({ length: sources }, () => []), model, { ...settings, temperature: 1, seed });
  assert.deepEqual(run(5, 3), run(5, 3));
  assert.deepEqual(run(5, 1)[0], run(5, 3)[0]);
  assert.notDeepEqual(run(5, 8).map((o) => o.ids), run(6, 8).map((o) => o.ids));
  // One step: A 0.6 / B 0.4 at T = 1; at T = 0.5 the odds square (0.36 : 0.16).
  const first = (temperature: number) => sampleDecode(Array.from({ length: 4000 }, () => []), TRAP, { ...settings, maxLength: 1, temperature, seed: 9 }).filter((o) => o.ids[0] === 3).length / 4000;
  assert.ok(Math.abs(first(1) - 0.6) < 0.03, String(first(1)));
  assert.ok(Math.abs(first(0.5) - 0.36 / 0.52) < 0.03, String(first(0.5)));
});

test('one decoder call per position decodes every source, alive hypotheses only', () => {
  const model = randomTable(11);
  model.calls.length = 0;
  const outputs = greedyDecode([[], [], [], []], model, { ...settings, maxLength: 10 });
  const longest = Math.max(...outputs.map((o) => o.steps.length));
  assert.equal(model.calls.length, longest);
  assert.equal(model.calls[0], 4);
  assert.ok(model.calls.every((n, i) => i === 0 || n <= model.calls[i - 1]));
});

test('attention weights of each step are kept with it', () => {
  const attending: StepFunction<number> = (inputs) => inputs.map(({ state }) => ({ probabilities: state >= 1 ? [0, 0, 1, 0, 0] : [0, 0, 0, 1, 0], state: state + 1, attention: [0.25, 0.75] }));
  const [output] = decode([0], attending, settings, { method: 'greedy' })[0];
  assert.deepEqual(output.steps.map((s) => s.attention), [[0.25, 0.75], [0.25, 0.75]]);
});

test('top tokens: the k most probable, ties by id, excluded left out', () => {
  assert.deepEqual(topTokens([0.1, 0.3, 0.3, 0.2, 0.1], 3, new Set([1])).map((t) => t.id), [2, 3, 0]);
  assert.deepEqual(topTokens([0.5], 0, new Set()), []);
});

test('settings no decoding can run with are refused with a sentence', () => {
  assert.throws(() => greedyDecode([[]], TRAP, { ...settings, maxLength: 0 }), DecodeSettingsError);
  assert.throws(() => beamSearch([[]], TRAP, { ...settings, beamWidth: 0, lengthPenalty: 0 }), /beam width must be a whole number/);
  assert.throws(() => beamSearch([[]], TRAP, { ...settings, beamWidth: 2, lengthPenalty: 3 }), /length penalty/);
  assert.throws(() => sampleDecode([[]], TRAP, { ...settings, temperature: 0, seed: 1 }), /temperature must be above 0/);
  assert.throws(() => greedyDecode([[]], TRAP, { ...settings, excluded: new Set([0, 1, 2, 3, 4]) }), /Every token of the vocabulary is excluded/);
});
