/**
 * NumPy arrays: `.npy` files (NumPy's format 1.0, 2.0 and 3.0: "NEP 1 — A simple file format for
 * NumPy arrays") and `.npz` archives of them (a zip, stored or deflated: `np.savez`,
 * `np.savez_compressed`). Numbers of any width and byte order, booleans, and fixed-width strings
 * (`<U`, `|S`: label arrays); object arrays (`|O`, pickled Python objects) are refused: reading
 * them would mean running a pickle. `sequencesFromArrays` turns `X` `[n, t, c]` (or `[n, t]`, one
 * channel) and `y` `[n]` into sequences; NaN in `X` is a missing value.
 */
import { unzipSync } from 'fflate';
import { printableValue } from '../../language/printable';
import { DataError } from '../types';
import { assertUsable, defaultChannelNames, type NumericSequence, type SequenceSet } from './sequence';

export interface NdArray {
  shape: number[];
  /** Row-major (C order) whatever the file's order. */
  data: Float64Array | string[];
  /** The file's dtype, e.g. `<f4`, `<U5`. */
  dtype: string;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Parses one `.npy` file. */
export function readNpy(bytes: Uint8Array, file: string): NdArray {
  if (bytes.length < 10 || MAGIC.some((byte, i) => bytes[i] !== byte)) {
    throw new DataError('this is not a NumPy .npy file (it does not start with "\\x93NUMPY"). Save the array with `np.save`.', file);
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (major < 1 || major > 3 || headerStart + headerLength > bytes.length) {
    throw new DataError(`this .npy file has format version ${major}.${bytes[7]} or a cut header; Sequence Lab reads versions 1 to 3. Save it again with \`np.save\`.`, file);
  }
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLength));
  const { descr, fortran, shape } = parseHeader(header, file);
  const count = shape.reduce((product, size) => product * size, 1);
  const body = bytes.subarray(headerStart + headerLength);
  const data = readElements(body, descr, count, file);
  return { shape, data: fortran ? toRowMajor(data, shape) : data, dtype: descr };
}

/** Every array of an `.npz` archive, by name without `.npy`. */
export function readNpz(bytes: Uint8Array, file: string): Map<string, NdArray> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (error) {
    throw new DataError(`this .npz file is not a readable zip archive (${(error as Error).message}). Save it again with \`np.savez\`.`, file);
  }
  const arrays = new Map<string, NdArray>();
  for (const [name, content] of Object.entries(entries)) {
    if (!name.endsWith('.npy')) continue;
    arrays.set(name.slice(0, -4), readNpy(content, `${file} (${name})`));
  }
  if (arrays.size === 0) throw new DataError('this .npz archive holds no .npy arrays. Save X and y with `np.savez(path, X=X, y=y)`.', file);
  return arrays;
}

/**
 * `X` `[n, t, c]` or `[n, t]` and optional `y` `[n]` (or `[n, 1]`) -> sequences, one per row of
 * `X`; labels become text as NumPy prints them (`3`, `2.5`, `walk`).
 */
export function sequencesFromArrays(x: NdArray, y: NdArray | undefined, file: string): SequenceSet {
  if (!(x.data instanceof Float64Array)) {
    throw new DataError(`the array X holds strings (${x.dtype}), not numbers. X must be a numeric array [examples, timesteps, channels].`, file);
  }
  if (x.shape.length !== 2 && x.shape.length !== 3) {
    throw new DataError(
      `X has shape (${x.shape.join(', ')}), but Sequence Lab reads [examples, timesteps, channels] (or [examples, timesteps] for one channel). Reshape it, e.g. \`X.reshape(n, t, c)\`.`,
      file,
    );
  }
  const [count, steps, channels = 1] = x.shape as [number, number, number?];
  if (y) {
    const flat = y.shape.length === 1 || (y.shape.length === 2 && y.shape[1] === 1);
    if (!flat || y.shape[0] !== count) {
      throw new DataError(`y has shape (${y.shape.join(', ')}), but X has ${count} examples: y needs one label per example, shape (${count},).`, file);
    }
  }
  const data = x.data;
  const sequences: NumericSequence[] = [];
  const size = steps * channels;
  for (let i = 0; i < count; i++) {
    const values = Float32Array.from(data.subarray(i * size, (i + 1) * size));
    const origin = { file, line: i + 1 };
    for (const value of values) {
      if (!Number.isNaN(value) && !Number.isFinite(value)) {
        throw new DataError(`example ${i + 1} (row ${i} of X) holds an infinite value. Fix or drop it; use NaN for a missing value.`, file, i + 1);
      }
    }
    const label = y ? String(y.data[i]) : undefined;
    sequences.push({ values, steps, ...(label !== undefined ? { label } : {}), origin });
  }
  return assertUsable({ channels, channelNames: defaultChannelNames(channels), sequences }, file);
}

interface Header {
  descr: string;
  fortran: boolean;
  shape: number[];
}

/** The header is a Python dict literal: `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`. */
function parseHeader(header: string, file: string): Header {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shape === undefined) {
    throw new DataError(
      `this .npy header is not one Sequence Lab can read ("${printableValue(header.trim(), 80)}"): a structured array, perhaps. Save a plain numeric array with \`np.save\`.`,
      file,
    );
  }
  const sizes = shape.split(',').map((part) => part.trim()).filter((part) => part !== '').map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size < 0)) throw new DataError(`this .npy header has a shape Sequence Lab cannot read: (${shape}).`, file);
  return { descr, fortran: fortran === 'True', shape: sizes };
}

function readElements(body: Uint8Array, descr: string, count: number, file: string): Float64Array | string[] {
  const match = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  if (!match) throw unsupported(descr, file);
  const [, order, kind, widthText] = match as unknown as [string, string, string, string];
  const width = Number(widthText);
  const little = order !== '>';
  const elementBytes = kind === 'U' ? width * 4 : width;
  if (body.length < count * elementBytes) {
    throw new DataError(`this .npy file ends early: its header promises ${count} values of ${elementBytes} bytes, but the data has ${body.length} bytes. Save it again.`, file);
  }
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  if (kind === 'U' || kind === 'S') {
    return Array.from({ length: count }, (_, i) => {
      const codes: number[] = [];
      for (let j = 0; j < width; j++) {
        const code = kind === 'U' ? view.getUint32((i * width + j) * 4, little) : view.getUint8(i * width + j);
        if (code === 0) break;
        codes.push(code);
      }
      return String.fromCodePoint(...codes);
    });
  }
  const read = numberReader(kind, width, view, little);
  if (!read) throw unsupported(descr, file);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = read(i * width);
  return out;
}

function numberReader(kind: string, width: number, view: DataView, little: boolean): ((offset: number) => number) | undefined {
  const key = `${kind}${width}`;
  switch (key) {
    case 'f2':
      return (offset) => halfToNumber(view.getUint16(offset, little));
    case 'f4':
      return (offset) => view.getFloat32(offset, little);
    case 'f8':
      return (offset) => view.getFloat64(offset, little);
    case 'i1':
      return (offset) => view.getInt8(offset);
    case 'u1':
    case 'b1':
      return (offset) => view.getUint8(offset);
    case 'i2':
      return (offset) => view.getInt16(offset, little);
    case 'u2':
      return (offset) => view.getUint16(offset, little);
    case 'i4':
      return (offset) => view.getInt32(offset, little);
    case 'u4':
      return (offset) => view.getUint32(offset, little);
    case 'i8':
      return (offset) => Number(view.getBigInt64(offset, little));
    case 'u8':
      return (offset) => Number(view.getBigUint64(offset, little));
    default:
      return undefined;
  }
}

/** IEEE 754 binary16. */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function unsupported(descr: string, file: string): DataError {
  const pickled = descr.includes('O');
  return new DataError(
    pickled
      ? 'this .npy array holds Python objects (dtype object, pickled): Sequence Lab does not run pickles. Save a numeric array (`X.astype("float32")`), and labels as strings (`y.astype(str)`) or integers.'
      : `this .npy array has dtype "${printableValue(descr)}", which Sequence Lab does not read. Save it as float32, float64, an integer type, or strings (\`.astype(...)\`).`,
    file,
  );
}

function toRowMajor(data: Float64Array | string[], shape: number[]): Float64Array | string[] {
  const count = data.length;
  const out = data instanceof Float64Array ? new Float64Array(count) : new Array<string>(count);
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  // Fortran order: the first index varies fastest.
  for (let f = 0; f < count; f++) {
    let c = 0;
    for (let d = 0; d < rank; d++) c = c * shape[d]! + index[d]!;
    out[c] = data[f] as never;
    for (let d = 0; d < rank; d++) {
      if (++index[d]! < shape[d]!) break;
      index[d] = 0;
    }
  }
  return out;
}
