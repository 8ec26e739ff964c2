/**
 * WAV files to samples: PCM 8, 16, 24 and 32 bit and IEEE float 32/64 (plain or
 * WAVE_FORMAT_EXTENSIBLE), mono or mixed down to mono (the mean of the channels, as librosa's
 * `to_mono`), scaled to [-1, 1) as libsndfile (and so librosa) scales them: 8-bit as (v - 128) /
 * 128, n-bit signed as v / 2^(n-1). Resampled to a stated rate when asked (polyphase, as
 * librosa's `res_type='polyphase'`: resample.ts). The container is parsed by
 * `wavefile`; anything else (mu-law, A-law, ADPCM, MP3 in a WAV, not a WAV at all, no samples) is
 * refused naming the file and a command that converts it.
 */
import { WaveFile } from 'wavefile';
import { DataError } from '../types';
import { resamplePolyphase } from './resample';

export interface Audio {
  /** Mono samples in [-1, 1). */
  samples: Float32Array;
  sampleRate: number;
  /** Channels in the file before mixing down. */
  channels: number;
  /** The file's sample rate, before resampling. */
  fileSampleRate: number;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

interface WavFormat {
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  bitsPerSample: number;
  subformat: number[];
}

/** The command that makes any audio file readable here, for messages. */
export function convertCommand(file: string, sampleRate = 16000): string {
  const name = file.split(/[\\/]/).pop() ?? file;
  const out = name.replace(/\.[^.]*$/, '') + '.wav';
  return `ffmpeg -i ${name} -ac 1 -ar ${sampleRate} -c:a pcm_s16le ${out === name ? `converted-${out}` : out}`;
}

/**
 * Reads a WAV file's bytes; `sampleRate` resamples (undefined keeps the file's rate).
 * Throws a DataError naming `file` for anything that is not PCM or float WAV with samples.
 */
export function readWav(bytes: Uint8Array, file: string, sampleRate?: number): Audio {
  const fix = `Convert it to PCM WAV, e.g. \`${convertCommand(file, sampleRate)}\`.`;
  if (bytes.length === 0) throw new DataError(`the file is empty (0 bytes): it holds no audio. ${fix}`, file);
  let wav: WaveFile;
  try {
    wav = new WaveFile(bytes);
  } catch (error) {
    const riff = bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE';
    const what = riff ? `a damaged WAV file (${(error as Error).message})` : `not a WAV file (it does not start with "RIFF....WAVE"${describeMagic(bytes)})`;
    throw new DataError(`this is ${what}. ${fix}`, file);
  }
  const format = (wav as unknown as { fmt: WavFormat }).fmt;
  const encoding = format.audioFormat === WAVE_FORMAT_EXTENSIBLE ? format.subformat[0] : format.audioFormat;
  const pcm = encoding === WAVE_FORMAT_PCM && [8, 16, 24, 32].includes(format.bitsPerSample);
  const float = encoding === WAVE_FORMAT_IEEE_FLOAT && [32, 64].includes(format.bitsPerSample);
  if (!pcm && !float) {
    throw new DataError(`this WAV file is ${encodingName(encoding, format.bitsPerSample)}, not PCM (8, 16, 24 or 32 bit) or float. ${fix}`, file);
  }
  if (format.numChannels < 1 || format.sampleRate < 1) throw new DataError(`this WAV file's header says ${format.numChannels} channels at ${format.sampleRate} Hz. ${fix}`, file);
  const data = (wav as unknown as { data: { chunkSize: number; samples: Uint8Array } }).data;
  // A WAV written to a pipe (espeak-ng --stdout, ffmpeg to stdout) cannot know its length and says
  // 0x7ffff000 or 0xffffffff: its samples run to the end of the file.
  const streamed = data.chunkSize >= 0x7fff0000;
  if (!streamed && data.samples.length < data.chunkSize) {
    throw new DataError(`this WAV file is cut short: its header promises ${data.chunkSize} bytes of samples, the file has ${data.samples.length}. Copy or record it again.`, file);
  }
  const decoded = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  const channels = Array.isArray(decoded) ? decoded : [decoded];
  if (channels[0]!.length === 0) throw new DataError(`this WAV file holds no samples (its data chunk is empty). ${fix}`, file);
  const mono = mixDown(channels, pcm ? format.bitsPerSample : 0);
  const samples = sampleRate === undefined || sampleRate === format.sampleRate ? mono : resamplePolyphase(mono, format.sampleRate, sampleRate);
  return { samples, sampleRate: sampleRate ?? format.sampleRate, channels: format.numChannels, fileSampleRate: format.sampleRate };
}

/** The mean of the channels, scaled to [-1, 1) (`bits` 0: already float). */
function mixDown(channels: Float64Array[], bits: number): Float32Array {
  const offset = bits === 8 ? 128 : 0;
  const scale = bits === 0 ? 1 : 2 ** (bits - 1);
  const out = new Float32Array(channels[0]!.length);
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (const channel of channels) sum += (channel[i]! - offset) / scale;
    out[i] = sum / channels.length;
  }
  return out;
}

function encodingName(code: number | undefined, bits: number): string {
  const names: Record<number, string> = { 2: 'Microsoft ADPCM', 6: 'A-law', 7: 'mu-law', 17: 'IMA ADPCM', 85: 'MP3', 0x50: 'MPEG' };
  if (code === WAVE_FORMAT_PCM) return `${bits}-bit PCM`;
  if (code === WAVE_FORMAT_IEEE_FLOAT) return `${bits}-bit float`;
  return code !== undefined && names[code] ? `${names[code]}-encoded` : `in format code ${code ?? 'unknown'}`;
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

/** Names common audio containers by their first bytes, so the message says what the file is. */
function describeMagic(bytes: Uint8Array): string {
  const head = ascii(bytes, 0, 4);
  if (head === 'fLaC') return '; it is FLAC';
  if (head === 'OggS') return '; it is Ogg (Vorbis or Opus)';
  if (head.startsWith('ID3') || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)) return '; it is MP3';
  if (ascii(bytes, 4, 4) === 'ftyp') return '; it is MP4/M4A';
  return '';
}
