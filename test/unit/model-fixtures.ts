/**
 * Hand-made specs and prepared data for the model and trainer tests: small, deterministic, and
 * independent of the spec checker and the data pipeline.
 */
import { PREPROCESSING_FORMAT, PREPROCESSING_VERSION } from '../../src/data/preprocessing';
import type { EncodedProbe, PreparedData, Split } from '../../src/data/types';
import type { LayerSpec, ModelSpec, RecurrentLayerSpec, RecurrentType, TrainSpec } from '../../src/language/types';
import { specWith } from '../fixtures/data/specs';

export function recurrent(type: RecurrentType, units: number, extra: Partial<RecurrentLayerSpec> = {}): RecurrentLayerSpec {
  return {
    type,
    units,
    activation: 'tanh',
    recurrent_activation: 'sigmoid',
    return_sequences: false,
    dropout: 0,
    recurrent_dropout: 0,
    go_backwards: false,
    unit_forget_bias: true,
    ...extra,
  };
}

export function spec(model: LayerSpec[], train: Partial<TrainSpec> = {}, extra: Partial<ModelSpec> = {}): ModelSpec {
  const base = specWith({
    source: 'builtin:test',
    window: { lookback: 10, horizon: 1, normalize: 'none' },
    generator: { samples: 100, length: 10 },
    seed: 7,
  });
  base.data.tokenizer.vocab_size = 100;
  return {
    ...base,
    model,
    train: { ...base.train, learning_rate: 0.01, epochs: 2, batch_size: 16, ...train },
    inspect: { probes: [], max_units: 8 },
    ...extra,
  };
}

/** Deterministic pseudo-random numbers in [0, 1). */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/**
 * Token sequences over a vocabulary of `vocab` ids (2..vocab-1; 0 pads); label 1 when the
 * sequence contains the "positive" token 2. Learnable by any recurrent layer in a few epochs.
 */
export function tokenData(options: { count: number; timesteps: number; vocab: number; seed?: number }): PreparedData {
  const { count, timesteps, vocab } = options;
  const random = seeded(options.seed ?? 1);
  const makeSplit = (n: number): Split => {
    const x = new Int32Array(n * timesteps);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < timesteps; t++) x[i * timesteps + t] = 3 + Math.floor(random() * (vocab - 3));
      if (random() < 0.5) {
        x[i * timesteps + Math.floor(random() * timesteps)] = 2;
        y[i] = 1;
      }
    }
    return { x, xShape: [n, timesteps], y, yShape: [n, 1], count: n };
  };
  const train = makeSplit(options.count);
  const validation = makeSplit(Math.max(8, Math.floor(count / 4)));
  const tokens = ['', '<OOV>', 'good', ...Array.from({ length: vocab - 3 }, (_, i) => `w${i}`)];
  const probe = (label: string, ids: Int32Array): EncodedProbe => ({
    label,
    x: ids,
    xShape: [1, timesteps],
    tokens: Array.from(ids, (id) => tokens[id]),
  });
  return {
    train,
    validation,
    inputKind: 'tokens',
    timesteps,
    features: 1,
    vocabulary: { tokens, level: 'word' },
    preprocessing: {
      format: PREPROCESSING_FORMAT,
      version: PREPROCESSING_VERSION,
      task: 'binary',
      inputKind: 'tokens',
      timesteps,
      features: 1,
      tokenizer: { kind: 'keras', level: 'word', lowercase: true, strip_html: false, filters: ' ', oov_token: '<OOV>', oov_id: 1, num_words: vocab, vocabulary: tokens },
      padding: { max_len: timesteps, padding: 'pre', truncating: 'pre' },
      classes: { names: ['0', '1'] },
    },
    stats: { source: 'test', task: 'binary', trainSamples: train.count, validationSamples: validation.count, timesteps, vocabSize: vocab, loadMs: 0 },
    hash: 'test',
    encodeText: (text) => {
      const ids = new Int32Array(timesteps);
      const words = text.split(' ').slice(-timesteps);
      words.forEach((word, i) => (ids[timesteps - words.length + i] = Math.max(1, tokens.indexOf(word))));
      return probe(text, ids);
    },
    validationExample: (index) => probe(`validation #${index}`, validation.x.slice(index * timesteps, (index + 1) * timesteps) as Int32Array),
  };
}

/** Numeric sequences `[T, features]`; the target is the sum of the first feature over time. */
export function valueData(options: { count: number; timesteps: number; features: number; seed?: number }): PreparedData {
  const { count, timesteps, features } = options;
  const random = seeded(options.seed ?? 2);
  const makeSplit = (n: number): Split => {
    const x = new Float32Array(n * timesteps * features);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < timesteps; t++) {
        for (let f = 0; f < features; f++) x[(i * timesteps + t) * features + f] = random() - 0.5;
        y[i] += x[(i * timesteps + t) * features];
      }
    }
    return { x, xShape: [n, timesteps, features], y, yShape: [n, 1], count: n };
  };
  const train = makeSplit(count);
  const validation = makeSplit(Math.max(8, Math.floor(count / 4)));
  const probe = (index: number): EncodedProbe => ({
    label: `validation #${index}`,
    x: validation.x.slice(index * timesteps * features, (index + 1) * timesteps * features),
    xShape: [1, timesteps, features],
    tokens: Array.from({ length: timesteps }, (_, t) => String(t)),
  });
  return {
    train,
    validation,
    inputKind: 'values',
    timesteps,
    features,
    preprocessing: { format: PREPROCESSING_FORMAT, version: PREPROCESSING_VERSION, task: 'regression', inputKind: 'values', timesteps, features },
    stats: { source: 'test', task: 'regression', trainSamples: train.count, validationSamples: validation.count, timesteps, features, loadMs: 0 },
    hash: 'test',
    encodeText: () => {
      throw new Error('numeric data has no text probes');
    },
    validationExample: probe,
  };
}
