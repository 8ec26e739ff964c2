/**
 * The UEA/UCR time-series archive's `.ts` format (sktime's `load_from_tsfile`, and the header the
 * archive's files document):
 *
 * ```
 * # comments
 * @problemName BasicMotions
 * @timeStamps false
 * @missing false
 * @univariate false
 * @dimensions 6            (optional)
 * @equalLength true
 * @seriesLength 100        (optional; with @equalLength true every series has this length)
 * @classLabel true Standing Running Walking Badminton   (or @classLabel false / @targetLabel true)
 * @data
 * 0.1,0.2,...:0.5,0.3,...:Standing
 * ```
 *
 * One line per example: its channels ("dimensions") separated by `:`, the values of a channel by
 * `,`, `?` for a missing value, then the class label (`@classLabel true`) or the numeric target
 * (`@targetLabel true`) after the last `:`. Lengths may vary between examples (`@equalLength
 * false`); within one example every channel has the same length. Timestamped series
 * (`@timeStamps true`, `(t,v)` pairs) are refused with a sentence, not guessed at. Every header
 * that contradicts the data is an error at its line, never ignored.
 */
import { printableValue } from '../../language/printable';
import { DataError } from '../types';
import { assertChannels, assertFinite32, assertUsable, defaultChannelNames, notANumber, parseNumber, type NumericSequence, type SequenceSet } from './sequence';

type HeaderKey = 'problemname' | 'timestamps' | 'missing' | 'univariate' | 'dimensions' | 'equallength' | 'serieslength' | 'classlabel' | 'targetlabel' | 'data';

const HEADER_SPELLING: Record<HeaderKey, string> = {
  problemname: '@problemName',
  timestamps: '@timeStamps',
  missing: '@missing',
  univariate: '@univariate',
  dimensions: '@dimensions',
  equallength: '@equalLength',
  serieslength: '@seriesLength',
  classlabel: '@classLabel',
  targetlabel: '@targetLabel',
  data: '@data',
};

interface TsHeader {
  timeStamps: boolean;
  missing?: boolean;
  univariate?: boolean;
  dimensions?: number;
  equalLength?: boolean;
  seriesLength?: number;
  /** Declared class names (`@classLabel true a b c`); undefined with `@classLabel false` or a target. */
  classes?: string[];
  target: boolean;
  lines: Partial<Record<HeaderKey, number>>;
}

/** Reads a `.ts` file's text; throws a DataError at the line of the first problem. */
export function readTsFile(text: string, file: string): SequenceSet {
  const lines = text.split(/\r?\n/);
  const header: TsHeader = { timeStamps: false, target: false, lines: {} };
  let index = 0;
  for (; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (!line.startsWith('@')) {
      throw new DataError(
        'this line holds data before the `@data` line. A .ts file starts with its header (`@problemName`, ..., `@classLabel`), then `@data`, then one series per line.',
        file,
        index + 1,
      );
    }
    if (readHeaderLine(line, header, file, index + 1) === 'data') break;
  }
  if (header.lines.data === undefined) {
    throw new DataError('the file has no `@data` line, so its series cannot be told from its header. Add `@data` on the line before the first series.', file);
  }
  if (header.timeStamps) {
    throw new DataError(
      'timestamped series (`@timeStamps true`, values written as (time,value) pairs) are not supported. Write the values alone, evenly spaced, with `@timeStamps false`, or convert the file to a long CSV with a time column (see `data.columns.time`).',
      file,
      header.lines.timestamps,
    );
  }
  const sequences: NumericSequence[] = [];
  let channels = header.dimensions;
  for (index++; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const origin = { file, line: index + 1 };
    if (line.startsWith('@')) throw new DataError('a header line after `@data`. Move every `@` line above `@data`.', file, index + 1);
    const { sequence, channels: count } = readDataLine(line, header, origin);
    channels ??= count;
    if (header.dimensions !== undefined && count !== header.dimensions) {
      throw new DataError(
        `this series has ${count} dimension${count === 1 ? '' : 's'}, but the header says \`@dimensions ${header.dimensions}\` (line ${header.lines.dimensions}). Fix the header or the line.`,
        file,
        index + 1,
      );
    }
    assertChannels(count, channels, origin, 'series');
    sequences.push(sequence);
  }
  if (header.univariate === true && channels !== undefined && channels > 1) {
    throw new DataError(`the header says \`@univariate true\`, but the series have ${channels} dimensions. Set \`@univariate false\`.`, file, header.lines.univariate);
  }
  return assertUsable({ channels: channels ?? 0, channelNames: defaultChannelNames(channels ?? 0), sequences, ...(header.classes ? { declaredClasses: header.classes } : {}) }, file);
}

function readHeaderLine(line: string, header: TsHeader, file: string, lineNumber: number): HeaderKey {
  const [tag, ...words] = line.split(/\s+/);
  const key = tag!.slice(1).toLowerCase() as HeaderKey;
  if (!(key in HEADER_SPELLING)) {
    const known = Object.values(HEADER_SPELLING).join(', ');
    throw new DataError(`"${printableValue(tag!)}" is not a .ts header tag. The tags are ${known}.`, file, lineNumber);
  }
  if (header.lines[key] !== undefined) {
    throw new DataError(`\`${HEADER_SPELLING[key]}\` is given twice (first at line ${header.lines[key]}). Keep one.`, file, lineNumber);
  }
  header.lines[key] = lineNumber;
  const flag = (): boolean => {
    const value = words[0]?.toLowerCase();
    if (value !== 'true' && value !== 'false') {
      throw new DataError(`\`${HEADER_SPELLING[key]}\` takes true or false, not "${printableValue(words.join(' '))}".`, file, lineNumber);
    }
    return value === 'true';
  };
  const count = (): number => {
    const value = Number(words[0]);
    if (words.length !== 1 || !Number.isInteger(value) || value < 1) {
      throw new DataError(`\`${HEADER_SPELLING[key]}\` takes a whole number of at least 1, not "${printableValue(words.join(' '))}".`, file, lineNumber);
    }
    return value;
  };
  switch (key) {
    case 'problemname':
    case 'data':
      break;
    case 'timestamps':
      header.timeStamps = flag();
      break;
    case 'missing':
      header.missing = flag();
      break;
    case 'univariate':
      header.univariate = flag();
      break;
    case 'equallength':
      header.equalLength = flag();
      break;
    case 'dimensions':
      header.dimensions = count();
      break;
    case 'serieslength':
      header.seriesLength = count();
      break;
    case 'targetlabel':
      header.target = flag();
      break;
    case 'classlabel': {
      if (!flag()) break;
      const classes = words.slice(1);
      if (classes.length === 0) {
        throw new DataError('`@classLabel true` must list the class labels after it, e.g. `@classLabel true walking running`.', file, lineNumber);
      }
      const repeated = classes.find((name, i) => classes.indexOf(name) !== i);
      if (repeated !== undefined) throw new DataError(`the class label "${printableValue(repeated)}" is listed twice in \`@classLabel\`.`, file, lineNumber);
      header.classes = classes;
      break;
    }
  }
  if (header.classes && header.target) {
    throw new DataError('the header has both `@classLabel true` and `@targetLabel true`. A .ts file is either classification or regression: keep one.', file, lineNumber);
  }
  return key;
}

function readDataLine(line: string, header: TsHeader, origin: { file: string; line: number }): { sequence: NumericSequence; channels: number } {
  const fields = line.split(':');
  const labelled = header.classes !== undefined || header.target;
  if (labelled && fields.length < 2) {
    throw new DataError(
      `this series has no ${header.target ? 'target' : 'class label'} after a \`:\`. Each line is dimension:dimension:...:${header.target ? 'target' : 'label'}.`,
      origin.file,
      origin.line,
    );
  }
  const label = labelled ? fields.pop()!.trim() : undefined;
  if (header.classes && !header.classes.includes(label!)) {
    throw new DataError(
      `the class label "${printableValue(label!)}" is not among those \`@classLabel\` declares (line ${header.lines.classlabel}: ${header.classes.join(', ')}). Fix the label, or add it to the header.`,
      origin.file,
      origin.line,
    );
  }
  if (header.target && parseNumber(label) === undefined) {
    throw new DataError(`the target "${printableValue(label!)}" is not a number (\`@targetLabel true\`: the last field of a line is a number).`, origin.file, origin.line);
  }
  const dimensions = fields.map((field) => field.split(','));
  const steps = dimensions[0]!.length;
  const ragged = dimensions.findIndex((values) => values.length !== steps);
  if (ragged !== -1) {
    throw new DataError(
      `dimension ${ragged + 1} of this series has ${dimensions[ragged]!.length} values, but dimension 1 has ${steps}. Within one series every dimension needs the same length.`,
      origin.file,
      origin.line,
    );
  }
  if (header.equalLength === true && header.seriesLength !== undefined && steps !== header.seriesLength) {
    throw new DataError(
      `this series has ${steps} values per dimension, but the header says \`@equalLength true\` and \`@seriesLength ${header.seriesLength}\`. Fix the line, or set \`@equalLength false\`.`,
      origin.file,
      origin.line,
    );
  }
  const channels = dimensions.length;
  const values = new Float32Array(steps * channels);
  dimensions.forEach((cells, channel) =>
    cells.forEach((cell, step) => {
      const value = parseNumber(cell);
      if (value === undefined) throw notANumber(cell, origin);
      if (Number.isNaN(value) && header.missing === false) {
        throw new DataError(
          `this series has a missing value (step ${step + 1} of dimension ${channel + 1}), but the header says \`@missing false\`. Set \`@missing true\`, or fill the value.`,
          origin.file,
          origin.line,
        );
      }
      assertFinite32(value, origin);
      values[step * channels + channel] = value;
    }),
  );
  return { sequence: { values, steps, ...(label !== undefined ? { label } : {}), origin }, channels };
}
