/**
 * Dates of a series' steps, as written in its date column: which column holds them, and how to
 * continue them past the series' end (a forecast of the next 12 months is labelled 1961-01 ...).
 * Dates are kept as the text of the file; only ISO-like forms (`1949`, `1949-01`, `1949-01-31`,
 * `1949-01-31 06:00`, `/` for `-`) are read as dates, because `01/02/1949` means two different days
 * on two sides of the Atlantic.
 */

/** Column names that announce a date or time, when `data.columns.date` does not name one. */
const DATE_NAME = /^(date|time|timestamp|datetime|day|week|month|year|period|ds)$/i;
const ISO_DATE = /^(\d{4})(?:([-/])(\d{1,2})(?:\2(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?)?)?$/;

/** A date read from the text of a cell: its parts, and the form to write a continuation in. */
interface ReadDate {
  year: number;
  /** 1-12, absent for a year alone. */
  month?: number;
  day?: number;
  /** Minutes since midnight, when a time is written. */
  minutes?: number;
  separator: string;
  /** Two-digit month and day (`1949-01`), or as few digits as written (`1949-1`). */
  padded: boolean;
}

/** The cell as a date, or undefined when it is not an ISO-like date. */
function readDate(cell: string): ReadDate | undefined {
  const match = ISO_DATE.exec(cell.trim());
  if (!match) return undefined;
  const [, year, separator = '-', month, day, hours, minutes, seconds] = match;
  const date: ReadDate = { year: Number(year), separator, padded: (month ?? '00').length === 2 };
  if (month !== undefined) date.month = Number(month);
  if (day !== undefined) date.day = Number(day);
  if (hours !== undefined) date.minutes = Number(hours) * 60 + Number(minutes) + (seconds !== undefined ? Number(seconds) / 60 : 0);
  if ((date.month !== undefined && (date.month < 1 || date.month > 12)) || (date.day !== undefined && (date.day < 1 || date.day > 31))) return undefined;
  return date;
}

/**
 * The date column of a table: `named` when given, else the first column (not a value column)
 * whose name announces a date, or whose every cell reads as an ISO-like date. Undefined when none.
 */
export function findDateColumn(header: readonly string[], rows: readonly (readonly (string | undefined)[])[], valueColumns: readonly string[]): number | undefined {
  const candidates = header.map((name, index) => ({ name, index })).filter(({ name }) => !valueColumns.includes(name));
  const filled = (index: number) => rows.length > 0 && rows.every((row) => (row[index] ?? '').trim() !== '');
  const named = candidates.find(({ name, index }) => DATE_NAME.test(name.trim()) && filled(index));
  if (named) return named.index;
  return candidates.find(({ index }) => filled(index) && rows.every((row) => readDate(row[index] ?? '') !== undefined))?.index;
}

/**
 * The `count` dates after the last of `dates`, in the same form, stepping as the last two do (by
 * years, months, days or minutes). Undefined when the last two are not ISO-like dates of one form
 * a step can be read from.
 */
export function continueDates(dates: readonly string[], count: number): string[] | undefined {
  if (dates.length < 2) return undefined;
  const last = readDate(dates[dates.length - 1]);
  const before = readDate(dates[dates.length - 2]);
  if (!last || !before || shape(last) !== shape(before)) return undefined;
  if (last.month === undefined) return repeat(count, (k) => String(last.year + k * (last.year - before.year)));
  const sameDayAndTime = last.day === before.day && last.minutes === before.minutes;
  const monthStep = (last.year - before.year) * 12 + last.month - before.month!;
  if (last.day === undefined || (sameDayAndTime && monthStep !== 0)) {
    return repeat(count, (k) => {
      const months = last.year * 12 + (last.month! - 1) + k * monthStep;
      const [year, month] = [Math.floor(months / 12), (months % 12) + 1];
      const day = last.day === undefined ? undefined : Math.min(last.day, new Date(Date.UTC(year, month, 0)).getUTCDate());
      return write({ ...last, year, month, ...(day !== undefined ? { day } : {}) });
    });
  }
  const step = minutesOf(last) - minutesOf(before);
  if (step <= 0) return undefined;
  return repeat(count, (k) => write(fromMinutes(minutesOf(last) + k * step, last)));
}

function shape(date: ReadDate): string {
  return [date.month !== undefined, date.day !== undefined, date.minutes !== undefined, date.separator].join();
}

function repeat(count: number, nth: (k: number) => string): string[] {
  return Array.from({ length: count }, (_, i) => nth(i + 1));
}

const MINUTES_PER_DAY = 24 * 60;

function minutesOf(date: ReadDate): number {
  return (Date.UTC(date.year, date.month! - 1, date.day ?? 1) / 60_000) + (date.minutes ?? 0);
}

function fromMinutes(minutes: number, form: ReadDate): ReadDate {
  const day = new Date(Math.floor(minutes / MINUTES_PER_DAY) * MINUTES_PER_DAY * 60_000);
  return {
    ...form,
    year: day.getUTCFullYear(),
    month: day.getUTCMonth() + 1,
    day: day.getUTCDate(),
    ...(form.minutes !== undefined ? { minutes: minutes - Math.floor(minutes / MINUTES_PER_DAY) * MINUTES_PER_DAY } : {}),
  };
}

function write(date: ReadDate): string {
  const two = (n: number) => (date.padded ? String(n).padStart(2, '0') : String(n));
  let text = String(date.year);
  if (date.month !== undefined) text += date.separator + two(date.month);
  if (date.day !== undefined) text += date.separator + two(date.day);
  if (date.minutes !== undefined) {
    const whole = Math.round(date.minutes);
    text += ` ${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
  }
  return text;
}
