import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { corpusBleu, corpusChrf, tokenize13a } from '../../src/tasks/seq2seq/scores';
import { runReferencePython, skipWithoutReferencePython } from '../python/referencePython';

/** sacreBLEU's README example: its documented scores are BLEU 48.53 and chrF2 59.73. */
const README_HYPOTHESES = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
const README_REFERENCES = [
  ['The dog bit the man.', 'The dog had bit the man.'],
  ['It was not unexpected.', 'No one was surprised.'],
  ['The man bit him first.', 'The man had bitten the dog.'],
];

test("sacreBLEU's README example scores BLEU 48.53 and chrF2 59.73, its documented figures", () => {
  const bleu = corpusBleu(README_HYPOTHESES, README_REFERENCES);
  assert.equal(bleu.score.toFixed(2), '48.53');
  assert.deepEqual(bleu.counts, [14, 7, 5, 3]);
  assert.deepEqual(bleu.totals, [17, 14, 11, 8]);
  assert.equal(bleu.brevityPenalty.toFixed(3), '0.943');
  assert.equal(corpusChrf(README_HYPOTHESES, README_REFERENCES).toFixed(2), '59.73');
});

test('identical corpora score 100, disjoint ones 0', () => {
  const sentences = ['I am very tired today.', 'We should go home now, it is late.'];
  assert.ok(Math.abs(corpusBleu(sentences, sentences.map((s) => [s])).score - 100) < 1e-9);
  assert.ok(Math.abs(corpusChrf(sentences, sentences.map((s) => [s])) - 100) < 1e-9);
  assert.equal(corpusBleu(['xyz qqq'], [['abc def']]).score, 0);
  assert.equal(corpusChrf(['xyz qqq'], [['abc def']]), 0);
});

test('13a splits punctuation but keeps decimals, thousands and apostrophes', () => {
  assert.equal(tokenize13a('It costs 3.50, not 1,000!'), 'It costs 3.50 , not 1,000 !');
  assert.equal(tokenize13a("L'homme (5-6) &amp; moi."), "L'homme ( 5 - 6 ) & moi .");
});

test('a hypothesis list and a reference list of different lengths, or a hypothesis without reference, are refused', () => {
  assert.throws(() => corpusBleu(['a'], []), /1 hypotheses but 0 reference lists/);
  assert.throws(() => corpusChrf(['a', 'b'], [['a'], []]), /hypothesis 2 has no reference/);
});

/** Every kind of input that changes a score: short sentences, empty ones, several references, Unicode, odd whitespace. */
const CASES: { hypotheses: string[]; references: string[][] }[] = [
  { hypotheses: README_HYPOTHESES, references: README_REFERENCES },
  // Sentences shorter than 4 tokens: the higher orders have no n-grams at all.
  { hypotheses: ['Va !'], references: [['Va !']] },
  { hypotheses: ['Va !', 'Cours !', 'Au feu !', "Je l'ai fait."], references: [['Va !', 'Marche.', 'Bouge !'], ['Cours !', 'Courez !'], ['Au feu !'], ["Je l'ai fait.", 'Je le fis.']] },
  // No 3-gram or 4-gram matches: exp smoothing halves the credit per missing order.
  { hypotheses: ['the cat sat on a red mat today', 'a dog runs'], references: [['the cat is on the mat'], ['the dog runs fast']] },
  // An empty hypothesis; one longer than its reference.
  { hypotheses: ['', 'I think that this is a much longer sentence than the reference was'], references: [['Something here.'], ['I think this is short.']] },
  // Case, French accents and punctuation, numbers, entities, <skipped>.
  { hypotheses: ['Je suis très fatigué.', 'ÇA VA ?', 'Il a 3,5 ans et 1.000 €.', 'a &lt;b&gt; <skipped> c-\nd'], references: [['Je suis très fatiguée.'], ['Ça va ?'], ['Il a 3,5 ans et 1.000 € .'], ['a <b> cd']] },
  // Whitespace Python splits on: tabs, non-breaking spaces (French ! ? :), narrow NBSP, trailing spaces; an emoji.
  { hypotheses: ['Bonjour\u00a0!\tÇa  va\u202f?  ', 'ok 😀 fine ', 'x\u2009y\u3000z\x1cw'], references: [['Bonjour ! Ça va ?'], ['ok 😀 fine'], ['x y z w']] },
];

describe('BLEU and chrF equal real sacreBLEU 2.6 on every kind of input', { skip: skipWithoutReferencePython() }, () => {
  const expected = JSON.parse(runReferencePython(join(__dirname, '..', 'python', 'sacrebleu_scores.py'), [], { input: JSON.stringify(CASES) })) as {
    bleu: number;
    counts: number[];
    totals: number[];
    bp: number;
    sys_len: number;
    ref_len: number;
    chrf: number;
    tokens: string[];
  }[];
  CASES.forEach((corpus, i) => {
    test(`case ${i + 1}: ${JSON.stringify(corpus.hypotheses[0]).slice(0, 40)}`, () => {
      const bleu = corpusBleu(corpus.hypotheses, corpus.references);
      const reference = expected[i];
      assert.deepEqual(corpus.hypotheses.map((h) => tokenize13a(h.trimEnd())), reference.tokens);
      assert.deepEqual([bleu.counts, bleu.totals, bleu.hypothesisLength, bleu.referenceLength], [reference.counts, reference.totals, reference.sys_len, reference.ref_len]);
      assert.ok(Math.abs(bleu.score - reference.bleu) < 1e-9, `BLEU ${bleu.score} against sacreBLEU's ${reference.bleu}`);
      assert.ok(Math.abs(bleu.brevityPenalty - reference.bp) < 1e-12);
      const chrf = corpusChrf(corpus.hypotheses, corpus.references);
      assert.ok(Math.abs(chrf - reference.chrf) < 1e-9, `chrF ${chrf} against sacreBLEU's ${reference.chrf}`);
    });
  });
});
