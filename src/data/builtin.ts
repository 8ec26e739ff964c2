/**
 * The built-in data generators (facts in builtinCatalog.ts). Everything is a pure function of the
 * seed, so a spec always trains on the same data; none of them needs files or the network.
 */
import type { GeneratorSpec } from '../language/types';
import { gaussian, randomInt, seededRandom } from './random';
import type { TextExample } from './records';

/** Fixed-length numeric sequences with one target each. */
export interface ValueExamples {
  /** `[count, length, features]` */
  x: Float32Array;
  /** `[count, 1]` */
  y: Float32Array;
  count: number;
  length: number;
  features: number;
}

/** A noisy sum of two sines with a seed-dependent phase; `count` points. */
export function sineSeries(count: number, seed: number): number[] {
  const random = seededRandom(seed);
  const phase = random() * 2 * Math.PI;
  return Array.from(
    { length: count },
    (_, t) => Math.sin((2 * Math.PI * t) / 25) + 0.5 * Math.sin((2 * Math.PI * t) / 9 + phase) + 0.1 * gaussian(random),
  );
}

/**
 * The adding problem: step = (value in [0,1), marker); exactly two markers, one in each half of
 * the sequence; the target is the sum of the two marked values.
 */
export function addingProblem({ samples, length }: GeneratorSpec, seed: number): ValueExamples {
  const random = seededRandom(seed);
  const x = new Float32Array(samples * length * 2);
  const y = new Float32Array(samples);
  const half = Math.max(1, Math.floor(length / 2));
  for (let n = 0; n < samples; n++) {
    const base = n * length * 2;
    for (let t = 0; t < length; t++) x[base + t * 2] = random();
    const first = randomInt(random, half);
    const second = length > 1 ? half + randomInt(random, length - half) : first;
    x[base + first * 2 + 1] = 1;
    x[base + second * 2 + 1] = 1;
    y[n] = first === second ? x[base + first * 2] : x[base + first * 2] + x[base + second * 2];
  }
  return { x, y, count: samples, length, features: 2 };
}

/** Random bit strings; the label is 1 when the number of ones is odd. */
export function parityProblem({ samples, length }: GeneratorSpec, seed: number): ValueExamples {
  const random = seededRandom(seed);
  const x = new Float32Array(samples * length);
  const y = new Float32Array(samples);
  for (let n = 0; n < samples; n++) {
    let ones = 0;
    for (let t = 0; t < length; t++) {
      const bit = random() < 0.5 ? 0 : 1;
      x[n * length + t] = bit;
      ones += bit;
    }
    y[n] = ones % 2;
  }
  return { x, y, count: samples, length, features: 1 };
}

// ------------------------------------------------------------------------------------ sentiment

const SUBJECTS = ['the movie', 'this film', 'the acting', 'the plot', 'the story', 'the ending', 'the soundtrack', 'the cast'];
const LINKING_VERBS = ['was', 'is', 'felt', 'seemed'];
const INTENSIFIERS = ['really', 'very', 'truly', 'quite', 'so'];
const POSITIVE_ADJECTIVES = ['good', 'great', 'excellent', 'wonderful', 'brilliant', 'enjoyable', 'fun', 'beautiful', 'superb', 'moving'];
const NEGATIVE_ADJECTIVES = ['bad', 'terrible', 'awful', 'boring', 'dull', 'poor', 'horrible', 'weak', 'predictable', 'disappointing'];
/** [past tense, base form] */
const POSITIVE_VERBS = [['loved', 'love'], ['liked', 'like'], ['enjoyed', 'enjoy'], ['adored', 'adore']];
const NEGATIVE_VERBS = [['hated', 'hate'], ['disliked', 'dislike'], ['despised', 'despise']];
const OPENERS = ['honestly', 'overall', 'i think', 'to be honest', 'in my opinion'];
const ASIDES = ['on sunday', 'with my friends', 'at the cinema', 'last week', 'at home'];

function wordsOf(phrases: readonly string[]): string[] {
  return phrases.flatMap((phrase) => phrase.split(' '));
}

/** Every word the sentiment generator can produce, in a fixed order: its exact vocabulary. */
export const SENTIMENT_LEXICON: readonly string[] = [
  ...new Set([
    ...wordsOf(SUBJECTS),
    ...LINKING_VERBS,
    'not',
    'did',
    'i',
    ...INTENSIFIERS,
    ...POSITIVE_ADJECTIVES,
    ...NEGATIVE_ADJECTIVES,
    ...POSITIVE_VERBS.flat(),
    ...NEGATIVE_VERBS.flat(),
    ...wordsOf(OPENERS),
    ...wordsOf(ASIDES),
  ]),
];

/**
 * Short reviews whose label is the polarity of one sentiment word, flipped by a negation
 * ("the plot was not good" is negative), with optional openers and short neutral asides so that
 * lengths vary and the deciding words sit at different timesteps. Kept short and mostly
 * clause-final so that a small LSTM passes 90% validation accuracy within a couple of epochs.
 */
export function sentimentReviews({ samples }: GeneratorSpec, seed: number): TextExample[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[randomInt(random, items.length)];
  const maybe = (probability: number, text: string) => (random() < probability ? text : '');
  return Array.from({ length: samples }, (_, i) => {
    const positive = random() < 0.5;
    const negated = random() < 0.3;
    const wordIsPositive = positive !== negated;
    let clause: string;
    if (random() < 0.6) {
      const adjective = pick(wordIsPositive ? POSITIVE_ADJECTIVES : NEGATIVE_ADJECTIVES);
      clause = [pick(SUBJECTS), pick(LINKING_VERBS), negated ? 'not' : '', maybe(0.4, pick(INTENSIFIERS)), adjective].join(' ');
    } else {
      const [past, base] = pick(wordIsPositive ? POSITIVE_VERBS : NEGATIVE_VERBS);
      clause = ['i', negated ? `did not ${base}` : `${maybe(0.3, pick(INTENSIFIERS))} ${past}`, pick(SUBJECTS)].join(' ');
    }
    const text = [maybe(0.3, pick(OPENERS)), maybe(0.3, pick(ASIDES)), clause, maybe(0.15, pick(ASIDES))].join(' ');
    return { text: text.replace(/\s+/g, ' ').trim(), label: positive ? '1' : '0', line: i + 1 };
  });
}

// -------------------------------------------------------------------------------------- grammar

const DETERMINERS = ['the', 'a'];
const ADJECTIVES = ['small', 'big', 'red', 'happy', 'old'];
const NOUNS = ['cat', 'dog', 'bird', 'girl', 'teacher'];
const TRANSITIVE = ['see', 'chase', 'like', 'find'];
const INTRANSITIVE = ['sleep', 'run', 'sing'];
const ADVERBS = ['quickly', 'loudly', 'today'];

/** Every character the grammar generator can produce, in a fixed order: its exact vocabulary. */
export const GRAMMAR_CHARACTERS: readonly string[] = [
  ' ',
  '.',
  ...[...new Set([...DETERMINERS, ...ADJECTIVES, ...NOUNS, ...TRANSITIVE, ...INTRANSITIVE, ...ADVERBS, 's'].join(''))].sort(),
];

/**
 * Sentences of a tiny English grammar with subject-verb number agreement ("the big dogs run",
 * "the cat sees a bird"), so a character model has something long-range to learn.
 */
export function grammarCorpus({ samples }: GeneratorSpec, seed: number): string {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[randomInt(random, items.length)];
  const nounPhrase = (plural: boolean) =>
    [plural ? 'the' : pick(DETERMINERS), random() < 0.4 ? pick(ADJECTIVES) : '', plural ? `${pick(NOUNS)}s` : pick(NOUNS)]
      .filter(Boolean)
      .join(' ');
  const conjugate = (verb: string, plural: boolean) => (plural ? verb : `${verb}s`);
  const sentence = () => {
    const plural = random() < 0.5;
    const predicate =
      random() < 0.6
        ? `${conjugate(pick(TRANSITIVE), plural)} ${nounPhrase(random() < 0.5)}`
        : `${conjugate(pick(INTRANSITIVE), plural)}${random() < 0.5 ? ` ${pick(ADVERBS)}` : ''}`;
    return `${nounPhrase(plural)} ${predicate}.`;
  };
  return Array.from({ length: samples }, sentence).join(' ');
}

/** The sentiment generator's word lists, for ports of it (the Keras export writes them into Python). */
export const SENTIMENT_WORDS = {
  SUBJECTS,
  LINKING_VERBS,
  INTENSIFIERS,
  POSITIVE_ADJECTIVES,
  NEGATIVE_ADJECTIVES,
  POSITIVE_VERBS,
  NEGATIVE_VERBS,
  OPENERS,
  ASIDES,
} as const;

/** The grammar generator's word lists, for ports of it. */
export const GRAMMAR_WORDS = { DETERMINERS, ADJECTIVES, NOUNS, TRANSITIVE, INTRANSITIVE, ADVERBS } as const;
