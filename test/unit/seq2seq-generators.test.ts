import assert from 'node:assert/strict';
import { test } from 'node:test';
import { additionPairs, DATE_FORMATS, datePairs } from '../../src/tasks/seq2seq/generators';

test('addition: "a+b" → the sum, every question once, operands of 1 to `digits` digits, seeded', () => {
  const pairs = additionPairs(5000, 3, 42);
  assert.equal(pairs.length, 5000);
  const seen = new Set<string>();
  const lengths = new Set<number>();
  for (const { source, target } of pairs) {
    const match = /^(\d{1,3})\+(\d{1,3})$/.exec(source);
    assert.ok(match, source);
    const [a, b] = [Number(match[1]), Number(match[2])];
    assert.equal(target, String(a + b));
    const key = [a, b].sort((x, y) => x - y).join('+');
    assert.ok(!seen.has(key), `asked twice: ${source}`);
    seen.add(key);
    lengths.add(match[1].replace(/^0+(?=\d)/, '').length);
  }
  assert.deepEqual([...lengths].sort(), [1, 2, 3]);
  assert.deepEqual(additionPairs(50, 3, 42), pairs.slice(0, 50));
  assert.notDeepEqual(additionPairs(50, 3, 43), pairs.slice(0, 50));
  assert.throws(() => additionPairs(56, 1, 1), /only 55 distinct additions of numbers below 10/);
});

const WEEKDAY = new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'UTC' });
const MONTH = new Intl.DateTimeFormat('en-US', { month: 'long', timeZone: 'UTC' });

test('dates: the known example, and every generated source names the day, month, year and weekday of its ISO target', () => {
  assert.equal(DATE_FORMATS[0]({ year: 2023, month: 5, day: 9, weekday: 2 }), 'Tuesday, 9 May 2023');
  const pairs = datePairs(3000, 7);
  const formats = new Set<string>();
  for (const { source, target } of pairs) {
    assert.match(target, /^(19[5-9]\d|20[0-4]\d)-\d{2}-\d{2}$/);
    const date = new Date(`${target}T00:00:00Z`);
    assert.equal(date.toISOString().slice(0, 10), target, 'a real calendar day');
    const text = source.toLowerCase();
    assert.ok(text.includes(target.slice(0, 4)), `${source}: year`);
    const month = MONTH.format(date).toLowerCase();
    assert.ok(text.includes(month.slice(0, 3)) || text.includes(`.${target.slice(5, 7)}.`) || text.includes(`/${target.slice(5, 7)}/`), `${source}: month of ${target}`);
    assert.ok(new RegExp(`(^|\\D)0?${date.getUTCDate()}(\\D|$)`).test(text), `${source}: day`);
    const weekday = WEEKDAY.format(date).toLowerCase();
    const named = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].find((w) => new RegExp(`\\b${w}`).test(text));
    if (named) assert.equal(named, weekday.slice(0, 3), `${source}: weekday of ${target}`);
    formats.add(source.replace(/\d/g, '9').replace(/[a-z]+/gi, 'w'));
  }
  assert.ok(formats.size >= 10, `${formats.size} formats`);
  assert.deepEqual(datePairs(20, 7), pairs.slice(0, 20));
});
