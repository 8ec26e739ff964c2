/**
 * Python ports of Sequence Lab's built-in data generators (src/data/builtin.ts), draw for draw:
 * the same seeded random numbers in the same order give the same data. The word lists are written
 * in from the TypeScript ones, so the two never drift apart.
 */
import { GRAMMAR_WORDS, SENTIMENT_WORDS } from '../../data/builtin';
import { py, type PyLiteral } from './pythonSource';

function constants(lists: Record<string, readonly (string | readonly string[])[]>): string {
  return Object.entries(lists)
    .map(([name, values]) => `${name} = ${py(values.map((value) => (typeof value === 'string' ? value : [...value])) as PyLiteral[])}`)
    .join('\n');
}

export const GENERATOR_SOURCES: Record<string, { needs: string[]; imports: string[]; source: () => string }> = {
  sine: {
    needs: ['mulberry32', 'gaussian'],
    imports: ['import math'],
    source: () => `def sine_series(count, seed):
    """builtin:sine: a noisy sum of two sines with a seed-dependent phase."""
    random = mulberry32(seed)
    phase = random() * 2 * math.pi
    return [math.sin(2 * math.pi * t / 25) + 0.5 * math.sin(2 * math.pi * t / 9 + phase) + 0.1 * gaussian(random) for t in range(count)]`,
  },
  adding: {
    needs: ['mulberry32'],
    imports: ['import numpy as np'],
    source: () => `def adding_problem(samples, length, seed):
    """builtin:adding (Hochreiter & Schmidhuber 1997): steps (value, marker), one marker in each
    half; the target is the sum of the two marked values. x [samples, length, 2], y [samples, 1]."""
    random = mulberry32(seed)
    x = np.zeros((samples, length, 2), dtype="float32")
    y = np.zeros((samples, 1), dtype="float32")
    half = max(1, length // 2)
    for n in range(samples):
        for t in range(length):
            x[n, t, 0] = random()
        first = int(random() * half)
        second = half + int(random() * (length - half)) if length > 1 else first
        x[n, first, 1] = 1
        x[n, second, 1] = 1
        y[n, 0] = x[n, first, 0] if first == second else float(x[n, first, 0]) + float(x[n, second, 0])
    return x, y`,
  },
  parity: {
    needs: ['mulberry32'],
    imports: ['import numpy as np'],
    source: () => `def parity_problem(samples, length, seed):
    """builtin:parity: random bit strings; the label is 1 when the number of ones is odd."""
    random = mulberry32(seed)
    x = np.zeros((samples, length, 1), dtype="float32")
    y = np.zeros((samples, 1), dtype="float32")
    for n in range(samples):
        ones = 0
        for t in range(length):
            bit = 0 if random() < 0.5 else 1
            x[n, t, 0] = bit
            ones += bit
        y[n, 0] = ones % 2
    return x, y`,
  },
  sentiment: {
    needs: ['mulberry32'],
    imports: ['import re'],
    source: () => `${constants(SENTIMENT_WORDS)}


def sentiment_reviews(samples, seed):
    """builtin:sentiment: short reviews whose label is the polarity of one sentiment word, flipped
    by a negation ("the plot was not good" is negative). (text, label) pairs."""
    random = mulberry32(seed)

    def pick(items):
        return items[int(random() * len(items))]

    def maybe(probability, text):
        return text if random() < probability else ""

    reviews = []
    for _ in range(samples):
        positive = random() < 0.5
        negated = random() < 0.3
        word_is_positive = positive != negated
        if random() < 0.6:
            adjective = pick(POSITIVE_ADJECTIVES if word_is_positive else NEGATIVE_ADJECTIVES)
            clause = " ".join([pick(SUBJECTS), pick(LINKING_VERBS), "not" if negated else "", maybe(0.4, pick(INTENSIFIERS)), adjective])
        else:
            past, base = pick(POSITIVE_VERBS if word_is_positive else NEGATIVE_VERBS)
            clause = " ".join(["i", f"did not {base}" if negated else f"{maybe(0.3, pick(INTENSIFIERS))} {past}", pick(SUBJECTS)])
        text = " ".join([maybe(0.3, pick(OPENERS)), maybe(0.3, pick(ASIDES)), clause, maybe(0.15, pick(ASIDES))])
        reviews.append((re.sub(r"\\s+", " ", text).strip(), "1" if positive else "0"))
    return reviews`,
  },
  grammar: {
    needs: ['mulberry32'],
    imports: [],
    source: () => `${constants(GRAMMAR_WORDS)}


def grammar_corpus(samples, seed):
    """builtin:grammar: sentences of a tiny English grammar with subject-verb agreement."""
    random = mulberry32(seed)

    def pick(items):
        return items[int(random() * len(items))]

    def noun_phrase(plural):
        words = ["the" if plural else pick(DETERMINERS), pick(ADJECTIVES) if random() < 0.4 else "", f"{pick(NOUNS)}s" if plural else pick(NOUNS)]
        return " ".join(word for word in words if word)

    def conjugate(verb, plural):
        return verb if plural else f"{verb}s"

    def sentence():
        plural = random() < 0.5
        if random() < 0.6:
            verb = conjugate(pick(TRANSITIVE), plural)
            predicate = f"{verb} {noun_phrase(random() < 0.5)}"
        else:
            verb = conjugate(pick(INTRANSITIVE), plural)
            predicate = verb + (f" {pick(ADVERBS)}" if random() < 0.5 else "")
        return f"{noun_phrase(plural)} {predicate}."

    return " ".join(sentence() for _ in range(samples))`,
  },
};
