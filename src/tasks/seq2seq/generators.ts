/**
 * Built-in pair generators for the sequence-to-sequence lessons; pure functions of the seed, no
 * files, no network.
 *
 * - `addition` (Keras' `addition_rnn` example): "535+61" → "596". Each operand has 1 to `digits`
 *   digits (its length drawn first, then its digits, as Keras draws them), and a question is asked
 *   once (a+b and b+a count as one).
 * - `dates`: a date written in one of 12 human formats ("Tuesday, 9 May 2023", "May 9, 2023",
 *   "09.05.2023", …) → ISO 8601 ("2023-05-09"), days uniform from 1950-01-01 to 2049-12-31: the
 *   classic attention lesson, where the alignment shows the model reading the year, the month
 *   name and the day.
 */
import { randomInt, seededRandom, type Random } from '../../data/random';
import type { TextPair } from './pairs';

/**
 * `count` distinct addition questions with operands of at most `digits` digits.
 * @throws RangeError when fewer than `count` distinct questions exist.
 */
export function additionPairs(count: number, digits: number, seed: number): TextPair[] {
  if (!Number.isInteger(digits) || digits < 1 || digits > 9) throw new RangeError(`addition operands have 1 to 9 digits (got ${digits}).`);
  const operands = 10 ** digits;
  const distinct = (operands * (operands + 1)) / 2;
  if (count > distinct) throw new RangeError(`there are only ${distinct.toLocaleString('en-US')} distinct additions of numbers below ${operands.toLocaleString('en-US')}; ask for at most that many samples.`);
  const random = seededRandom(seed);
  const operand = () => {
    const length = 1 + randomInt(random, digits);
    let value = 0;
    for (let i = 0; i < length; i++) value = value * 10 + randomInt(random, 10);
    return value;
  };
  const seen = new Set<number>();
  const pairs: TextPair[] = [];
  while (pairs.length < count) {
    const a = operand();
    const b = operand();
    const key = Math.min(a, b) * operands + Math.max(a, b);
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push({ source: `${a}+${b}`, target: String(a + b), line: pairs.length + 1 });
  }
  return pairs;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface DateParts {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  /** 0 = Sunday */
  weekday: number;
}

const two = (n: number) => String(n).padStart(2, '0');
const monthName = (d: DateParts) => MONTHS[d.month - 1];
const monthShort = (d: DateParts) => monthName(d).slice(0, 3);
const weekdayName = (d: DateParts) => WEEKDAYS[d.weekday];

/** The human formats of the `dates` generator; the ISO form is the target of every one. */
export const DATE_FORMATS: readonly ((d: DateParts) => string)[] = [
  (d) => `${weekdayName(d)}, ${d.day} ${monthName(d)} ${d.year}`,
  (d) => `${d.day} ${monthName(d)} ${d.year}`,
  (d) => `${two(d.day)} ${monthShort(d)} ${d.year}`,
  (d) => `${monthName(d)} ${d.day}, ${d.year}`,
  (d) => `${monthShort(d)} ${d.day} ${d.year}`,
  (d) => `${weekdayName(d).slice(0, 3)} ${d.day} ${monthShort(d)} ${d.year}`,
  (d) => `${weekdayName(d)} ${monthName(d)} ${d.day} ${d.year}`.toLowerCase(),
  (d) => `${d.day} ${monthName(d).toLowerCase()}, ${d.year}`,
  (d) => `${two(d.day)}.${two(d.month)}.${d.year}`,
  (d) => `${two(d.day)}/${two(d.month)}/${d.year}`,
  (d) => `the ${d.day} of ${monthName(d)} ${d.year}`,
  (d) => `${monthShort(d).toUpperCase()} ${two(d.day)} ${d.year}`,
];

const FIRST_DAY = Date.UTC(1950, 0, 1);
const DAYS = (Date.UTC(2050, 0, 1) - FIRST_DAY) / 86_400_000;

function dateParts(random: Random): DateParts {
  const date = new Date(FIRST_DAY + randomInt(random, DAYS) * 86_400_000);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), weekday: date.getUTCDay() };
}

/** `count` dates in a random human format each → their ISO 8601 form. */
export function datePairs(count: number, seed: number): TextPair[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const date = dateParts(random);
    const format = DATE_FORMATS[randomInt(random, DATE_FORMATS.length)];
    return { source: format(date), target: `${date.year}-${two(date.month)}-${two(date.day)}`, line: i + 1 };
  });
}
