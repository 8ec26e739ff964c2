/**
 * `${env:NAME}` in data paths: how every example that needs a data file is pointed at it. The
 * variable's value is read where the data is read (training, the editor's data facts, the Keras
 * script), and an unset variable is a sentence naming it and both ways to fix it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { environmentReferences, expandDataPath } from '../../src/data/dataPaths';
import { dataFactsKey, readDataFacts } from '../../src/data/facts';
import { prepareDataSection } from '../../src/data/prepare';
import { DataError } from '../../src/data/types';
import { checkSpec } from '../../src/language/check';
import { resolveSpec } from '../../src/language/resolve';
import { SpecSource } from '../../src/language/yamlSource';

const dir = mkdtempSync(join(tmpdir(), 'seqlab-data-paths-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const spamFile = join(dir, 'SMSSpamCollection');
writeFileSync(spamFile, ['ham\tsee you at lunch', 'spam\tWIN a prize now, call 0800', 'ham\tok lar', 'ham\ton my way', 'spam\tfree entry, txt WIN'].join('\n'));

const specText = (source: string) => `name: spam
data:
  source: ${source}
  task: binary
  max_len: 8
model:
  - type: embedding
    output_dim: 4
  - type: gru
    units: 4
  - type: dense
    units: 1
    activation: sigmoid
`;
const dataOf = (source: string) => resolveSpec(new SpecSource(specText(source)).data, join(dir, 'spam.seqlab.yaml')).data;

describe('${env:NAME} in data paths', () => {
  it('replaces each reference by the variable, alone or inside a longer path', () => {
    const env = { SEQLAB_SMS_SPAM: '/data/sms/SMSSpamCollection', DATA: '/srv/data' };
    assert.equal(expandDataPath('${env:SEQLAB_SMS_SPAM}', 'data.source', env), '/data/sms/SMSSpamCollection');
    assert.equal(expandDataPath('${env:DATA}/tiny-shakespeare/input.txt', 'data.source', env), '/srv/data/tiny-shakespeare/input.txt');
    assert.equal(expandDataPath('data/train.csv', 'data.source', {}), 'data/train.csv');
    assert.deepEqual(environmentReferences('${env:A}/x/${env:B}.csv'), ['A', 'B']);
  });

  it('an unset or empty variable, or a malformed name, is a sentence naming the field, the variable and both fixes', () => {
    for (const env of [{}, { SEQLAB_SMS_SPAM: '' }]) {
      assert.throws(
        () => expandDataPath('${env:SEQLAB_SMS_SPAM}', 'data.source', env),
        (error: Error) =>
          error instanceof DataError &&
          /`data\.source` reads the data's path from the environment variable SEQLAB_SMS_SPAM, which is not set/.test(error.message) &&
          /export SEQLAB_SMS_SPAM=/.test(error.message) &&
          /or write the path in `data\.source`/.test(error.message),
      );
    }
    assert.throws(() => expandDataPath('${env:my data}', 'data.validation.source', {}), /`data\.validation\.source` refers to `\$\{env:my data\}`, which is not a variable name/);
  });

  it('training reads the file the variable names, and refuses an unset one before reading anything', async () => {
    const { prepared } = await prepareDataSection(dataOf('${env:SEQLAB_SMS_SPAM}'), { specDir: dir, env: { SEQLAB_SMS_SPAM: spamFile } });
    assert.equal(prepared.stats.trainSamples + prepared.stats.validationSamples, 5);
    assert.deepEqual(prepared.stats.classCounts?.map((entry) => entry.label), ['ham', 'spam']);
    await assert.rejects(prepareDataSection(dataOf('${env:SEQLAB_SMS_SPAM}'), { specDir: dir, env: {} }), /SEQLAB_SMS_SPAM, which is not set/);
  });

  it('the editor reads the data the variable names, and shows an unset variable or an unreadable file on data.source', async () => {
    const data = dataOf('${env:SEQLAB_SMS_SPAM}');
    const facts = await readDataFacts(data, dir, undefined, { SEQLAB_SMS_SPAM: spamFile });
    assert.deepEqual(facts?.classes?.map((entry) => entry.label), ['ham', 'spam']);

    const unset = await readDataFacts(data, dir, undefined, {});
    const [diagnostic] = checkSpec(specText('${env:SEQLAB_SMS_SPAM}'), { dataFacts: () => unset }).diagnostics.filter((d) => d.severity === 'error');
    assert.match(diagnostic!.message, /SEQLAB_SMS_SPAM, which is not set/);
    assert.equal(diagnostic!.range.start.line, 2, 'on the data.source line');

    const wrongKind = await readDataFacts(data, dir, undefined, { SEQLAB_SMS_SPAM: join(dir, 'spam.xlsx') });
    assert.match(wrongKind?.problem?.message ?? '', /`\$\{env:SEQLAB_SMS_SPAM\}` is `.*spam\.xlsx`, which Sequence Lab cannot read/);
    const missing = await readDataFacts(data, dir, undefined, { SEQLAB_SMS_SPAM: join(dir, 'nowhere.txt') });
    assert.match(missing?.problem?.message ?? '', /nowhere\.txt` \(the value of `\$\{env:SEQLAB_SMS_SPAM\}`\) does not exist/);
  });

  it('the facts cache key follows the variable: pointing it elsewhere reads again', () => {
    const data = dataOf('${env:SEQLAB_SMS_SPAM}');
    const keys = [{ SEQLAB_SMS_SPAM: spamFile }, { SEQLAB_SMS_SPAM: join(dir, 'other.txt') }, {}].map((env) => dataFactsKey(data, dir, env));
    assert.equal(new Set(keys).size, 3);
  });

  it('the checker does not judge the extension or the folder of a path it cannot know yet', () => {
    const diagnostics = checkSpec(specText('${env:SEQLAB_SMS_SPAM}')).diagnostics;
    assert.deepEqual(diagnostics.filter((d) => d.code === 'source' || d.code === 'source-location'), []);
    assert.ok(checkSpec(specText('${env:DATA}/../spam.xlsx')).diagnostics.every((d) => d.code !== 'source'));
  });
});
