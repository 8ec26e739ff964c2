import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeLengths, teacherForcing, teacherForcingArrays, tokenizePairs } from '../../src/tasks/seq2seq/encoding';
import { decodedBaselines, decodedMetrics, maskedTokenMetrics, mostFrequentTarget, referencesBySource } from '../../src/tasks/seq2seq/metrics';
import { readPairs } from '../../src/tasks/seq2seq/pairs';
import { END_ID, OOV_ID, PADDING_ID, SideVocabulary, splitSide, START_ID } from '../../src/tasks/seq2seq/vocabulary';

const FRA = 'Go.\tVa !\tCC-BY 2.0 (France) Attribution: tatoeba.org #2877272\nRun!\tCours !\tCC-BY 2.0\n\nRun!\tCourez !\n';

test("tab-separated pairs read as fra.txt's layout: the attribution column ignored, blank lines skipped, lines kept", () => {
  assert.deepEqual(readPairs(FRA, 'fra.txt', 'txt'), [
    { source: 'Go.', target: 'Va !', line: 1 },
    { source: 'Run!', target: 'Cours !', line: 2 },
    { source: 'Run!', target: 'Courez !', line: 4 },
  ]);
  assert.deepEqual(readPairs('source\ttarget\r\n12+3\t15\r\n', 'sums.tsv', 'tsv'), [{ source: '12+3', target: '15', line: 2 }]);
  assert.equal(readPairs(FRA, 'fra.txt', 'txt', { first: 2 }).length, 2);
});

test('CSV and JSONL pairs come from their source and target columns (names configurable)', () => {
  assert.deepEqual(readPairs('id,source,target\n1,"Hello, you",Salut\n', 'p.csv', 'csv'), [{ source: 'Hello, you', target: 'Salut', line: 2 }]);
  assert.deepEqual(readPairs('{"en": "Hi", "fr": "Salut", "x": 1}\n', 'p.jsonl', 'jsonl', { columns: { source: 'en', target: 'fr' } }), [{ source: 'Hi', target: 'Salut', line: 1 }]);
  assert.throws(() => readPairs('a,b\n1,2\n', 'p.csv', 'csv'), /p\.csv:1: there is no column "source" \(the source column\)\. The file has: "a", "b"/);
});

test('a pair with a missing side or an empty side is refused with its line and what to do', () => {
  assert.throws(() => readPairs('Go.\tVa !\nRun!\n', 'fra.txt', 'txt'), /fra\.txt:2: this line has no tab, so no target text/);
  assert.throws(() => readPairs('Go.\tVa !\nRun!\t  \n', 'fra.txt', 'txt'), /fra\.txt:2: the target text of this pair is empty\. A model cannot learn to produce nothing/);
  assert.throws(() => readPairs('\tVa !\n', 'fra.txt', 'txt'), /fra\.txt:1: the source text of this pair is empty/);
  assert.throws(() => readPairs('{"source": "Hi", "target": "Salut"}\n{"source": "Hi"}\n', 'p.jsonl', 'jsonl'), /p\.jsonl:2: this pair has no target \("target" is missing\)/);
  assert.throws(() => readPairs('{"source": "Hi", "target": ""}\n', 'p.jsonl', 'jsonl'), /p\.jsonl:1: the target text of this pair is empty/);
  assert.throws(() => readPairs('\n\n', 'fra.txt', 'txt'), /fra\.txt: the file holds no pairs/);
});

test('word level keeps punctuation as tokens and words with inner apostrophes and hyphens whole; char level keeps every code point', () => {
  assert.deepEqual(splitSide("Je l'ai vu, arrête-toi !", { level: 'word', lowercase: false }), ['Je', "l'ai", 'vu', ',', 'arrête-toi', '!']);
  assert.deepEqual(splitSide('Ça va 😀', { level: 'char', lowercase: true }), ['ç', 'a', ' ', 'v', 'a', ' ', '😀']);
});

test('a side vocabulary: padding 0, OOV 1, the target side <start> 2 and <end> 3, then tokens by frequency (ties: first seen)', () => {
  const target = SideVocabulary.fit(['ab', 'bc'], { level: 'char', lowercase: false }, 'target');
  assert.deepEqual(target.state.tokens, ['', '<OOV>', '<start>', '<end>', 'b', 'a', 'c']);
  assert.deepEqual(target.encode('abz'), [5, 4, OOV_ID]);
  assert.equal(target.decode([START_ID, 5, 4, END_ID, PADDING_ID]), 'ab');
  const source = SideVocabulary.fit(['the cat', 'the dog'], { level: 'word', lowercase: true, vocab_size: 4 }, 'source');
  assert.deepEqual(source.state.tokens, ['', '<OOV>', 'the', 'cat']);
  assert.deepEqual(source.unknown('The bird and the dog and'), ['bird', 'and', 'dog']);
  assert.throws(() => SideVocabulary.fit(['a'], { level: 'char', lowercase: false, vocab_size: 4 }, 'target'), /leaves no id for a token: 4 ids are taken/);
  assert.deepEqual(SideVocabulary.fromState(target.state).encode('cab'), target.encode('cab'));
});

test('teacher forcing: the decoder reads <start> then the target, and must produce the target then <end>; padding after', () => {
  const { input, target } = teacherForcing([7, 8, 9], 6);
  assert.deepEqual(Array.from(input), [START_ID, 7, 8, 9, 0, 0]);
  assert.deepEqual(Array.from(target), [7, 8, 9, END_ID, 0, 0]);
  // At every step t the input is the target of step t - 1.
  for (let t = 1; t <= 3; t++) assert.equal(input[t], target[t - 1]);
  assert.throws(() => teacherForcing([1, 2, 3], 3), /needs 4 decoder steps, but there are 3/);
});

const PAIRS = [
  { source: 'ab', target: 'xy', line: 1 },
  { source: 'abcdef', target: 'x', line: 2 },
  { source: 'a', target: 'xyzxyz', line: 3 },
  { source: 'b', target: 'y', line: 4 },
];
const vocabularies = {
  source: SideVocabulary.fit(PAIRS.map((p) => p.source), { level: 'char', lowercase: false }, 'source'),
  target: SideVocabulary.fit(PAIRS.map((p) => p.target), { level: 'char', lowercase: false }, 'target'),
};

test('pairs longer than max_len are dropped (either side too long drops the pair) and the report says how many and where', () => {
  const tokenized = tokenizePairs(PAIRS, vocabularies, { source: { max_len: 3, too_long: 'drop' }, target: { max_len: 4, too_long: 'drop' } });
  assert.deepEqual(tokenized.pairs.map((p) => p.line), [1, 4]);
  assert.deepEqual(tokenized.lengths.source, { side: 'source', maxLen: 3, count: 1, action: 'drop', first: { line: 2, length: 6 }, longest: 6 });
  assert.equal(
    describeLengths(tokenized.lengths.target, 4),
    '1 of 4 pairs have a target longer than its max_len (4 tokens; the longest has 6, the first is on line 3): dropped. Raise `max_len` of the target side to keep them, or set `too_long: truncate` to cut them.',
  );
  assert.equal(describeLengths(tokenizePairs(PAIRS, vocabularies, { source: { too_long: 'drop' }, target: { too_long: 'drop' } }).lengths.source, 4), undefined);
});

test('truncating cuts a long side to max_len, and a cut target still ends with <end>', () => {
  const tokenized = tokenizePairs(PAIRS, vocabularies, { source: { max_len: 3, too_long: 'truncate' }, target: { max_len: 4, too_long: 'truncate' } });
  assert.equal(tokenized.pairs.length, 4);
  assert.deepEqual(tokenized.source[1], vocabularies.source.encode('abc'));
  const arrays = teacherForcingArrays(tokenized, 3, 5);
  assert.deepEqual(Array.from(arrays.decoderTarget.subarray(10, 15)), [...vocabularies.target.encode('xyzx'), END_ID]);
  assert.deepEqual(Array.from(arrays.encoderInput.subarray(9, 12)), [...vocabularies.source.encode('b'), 0, 0]);
  assert.match(describeLengths(tokenized.lengths.source, 4)!, /: cut to 3 tokens\. Raise `max_len` of the source side to keep them\.$/);
});

test('masked token metrics leave padding out of the loss and the accuracy (which would otherwise be inflated)', () => {
  // Two positions count: the first right (p 0.5), the second wrong (p 0.25); two padding positions are predicted "right".
  const probabilities = [
    [0, 0, 0, 0.5, 0.5 - 1e-9],
    [0, 0, 0, 0.75, 0.25],
    [1, 0, 0, 0, 0],
    [1, 0, 0, 0, 0],
  ].flat();
  const metrics = maskedTokenMetrics(probabilities, [3, 4, 0, 0], 5);
  assert.equal(metrics.tokens, 2);
  assert.equal(metrics.accuracy, 0.5);
  assert.ok(Math.abs(metrics.loss - (-Math.log(0.5) - Math.log(0.25)) / 2) < 1e-12);
  assert.throws(() => maskedTokenMetrics([1, 0], [0], 2), /every target position is padding/);
  assert.throws(() => maskedTokenMetrics([1, 0, 0], [0], 2), /3 probabilities for 1 positions/);
});

test('exact match compares tokens with any reference; baselines copy the source or answer the most frequent target', () => {
  const words = (text: string) => splitSide(text, { level: 'word', lowercase: false });
  const metrics = decodedMetrics(['Va!', 'Courez !', 'Marche'], [['Va !'], ['Cours !', 'Courez !'], ['Bouge !']], words);
  assert.equal(metrics.exact_match, 2 / 3);
  assert.equal(mostFrequentTarget(['a', 'b', 'b', 'a', 'c']), 'a');
  const baselines = decodedBaselines(['12', '7'], [['12'], ['8']], ['8', '8', '3'], words);
  assert.equal(baselines.copy_source.exact_match, 0.5);
  assert.equal(baselines.most_frequent_target.answer, '8');
  assert.equal(baselines.most_frequent_target.exact_match, 0.5);
  assert.deepEqual(referencesBySource(['Run!', 'Go.', 'Hm.'], [{ source: 'Run!', target: 'Cours !' }, { source: 'Go.', target: 'Va !' }, { source: 'Run!', target: 'Courez !' }, { source: 'Run!', target: 'Cours !' }]), [['Cours !', 'Courez !'], ['Va !'], []]);
});
