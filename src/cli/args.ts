/**
 * Command-line parsing: `seqlab <command> [options] [arguments]`. Built on node's own
 * `util.parseArgs`; this module only knows each command's options and turns them into typed values.
 */
import { parseArgs } from 'node:util';
import { MAX_GENERATION_TOKENS, type BackendPreference } from '../protocol';
import { MAX_FORECAST_STEPS } from '../tasks/continuation';
import { UsageError } from './errors';

export type Command =
  | { name: 'help' }
  | { name: 'version' }
  | { name: 'check'; specPath: string }
  | { name: 'train'; specPath: string; epochs?: number; quick: boolean; out?: string; backend: BackendPreference; threads?: number }
  | { name: 'rerun'; run: string }
  | { name: 'predict'; run: string; input: string; backend: BackendPreference }
  | { name: 'probe'; run: string; input: string; backend: BackendPreference }
  | { name: 'generate'; run: string; seed: string; length: number; temperature: number; topK: number; sample: number; backend: BackendPreference }
  | { name: 'forecast'; run: string; steps: number; backend: BackendPreference }
  | { name: 'compare'; runs: string[]; out?: string }
  | { name: 'runs'; dir?: string }
  | { name: 'report'; runDir: string }
  | { name: 'import'; modelPath: string; out?: string; force: boolean }
  | { name: 'export-keras'; specPath: string; out?: string; force: boolean };

const BACKENDS: readonly BackendPreference[] = ['auto', 'wasm', 'cpu', 'tensorflow'];
/** `seqlab generate` without --length / --temperature; `seqlab forecast` without --steps. */
const DEFAULT_GENERATION_LENGTH = 200;
const DEFAULT_TEMPERATURE = 0.8;
const DEFAULT_FORECAST_STEPS = 12;

export function parseCommand(argv: readonly string[]): Command {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') return { name: 'help' };
  if (name === '--version' || name === '-v') return { name: 'version' };
  if (rest.includes('--help') || rest.includes('-h')) return { name: 'help' };
  switch (name) {
    case 'check': {
      const { positionals } = parse(rest, {});
      return { name, specPath: onePositional(positionals, 'check', 'a spec file') };
    }
    case 'train': {
      const { values, positionals } = parse(rest, {
        epochs: { type: 'string' },
        quick: { type: 'boolean' },
        out: { type: 'string' },
        backend: { type: 'string' },
        threads: { type: 'string' },
      });
      const backend = backendOption(values.backend);
      return {
        name,
        specPath: onePositional(positionals, 'train', 'a spec file'),
        ...(values.epochs !== undefined ? { epochs: positiveInteger('--epochs', values.epochs) } : {}),
        quick: values.quick ?? false,
        ...(values.out !== undefined ? { out: values.out } : {}),
        backend,
        ...(values.threads !== undefined ? { threads: positiveInteger('--threads', values.threads) } : {}),
      };
    }
    case 'rerun': {
      const { positionals } = parse(rest, {});
      return { name, run: onePositional(positionals, 'rerun', 'a run (its folder, or its id in .seqlab/runs)') };
    }
    case 'predict':
    case 'probe': {
      const { values, positionals } = parse(rest, { backend: { type: 'string' } });
      if (positionals.length !== 2) {
        throw new UsageError(`\`seqlab ${name}\` takes a run (or an exported model folder) and one input in quotes, e.g. seqlab ${name} <run> "the film was great" (got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}).`);
      }
      return { name, run: positionals[0], input: positionals[1], backend: backendOption(values.backend) };
    }
    case 'generate': {
      const { values, positionals } = parse(rest, {
        seed: { type: 'string' },
        length: { type: 'string' },
        temperature: { type: 'string' },
        'top-k': { type: 'string' },
        sample: { type: 'string' },
        backend: { type: 'string' },
      });
      if (values.seed === undefined || values.seed.trim() === '') {
        throw new UsageError('`seqlab generate` needs the text to continue: --seed "<text>", e.g. seqlab generate <run> --seed "ROMEO:" --length 200.');
      }
      return {
        name,
        run: onePositional(positionals, 'generate', 'a run (its folder, or its id in .seqlab/runs)'),
        seed: values.seed,
        length: values.length !== undefined ? positiveInteger('--length', values.length, MAX_GENERATION_TOKENS) : DEFAULT_GENERATION_LENGTH,
        temperature: values.temperature !== undefined ? nonNegativeNumber('--temperature', values.temperature) : DEFAULT_TEMPERATURE,
        topK: values['top-k'] !== undefined ? wholeNumber('--top-k', values['top-k']) : 0,
        sample: values.sample !== undefined ? wholeNumber('--sample', values.sample) : 0,
        backend: backendOption(values.backend),
      };
    }
    case 'forecast': {
      const { values, positionals } = parse(rest, { steps: { type: 'string' }, backend: { type: 'string' } });
      return {
        name,
        run: onePositional(positionals, 'forecast', 'a run (its folder, or its id in .seqlab/runs)'),
        steps: values.steps !== undefined ? positiveInteger('--steps', values.steps, MAX_FORECAST_STEPS) : DEFAULT_FORECAST_STEPS,
        backend: backendOption(values.backend),
      };
    }
    case 'compare': {
      const { values, positionals } = parse(rest, { out: { type: 'string' } });
      if (positionals.length < 2) {
        throw new UsageError(`\`seqlab compare\` takes two or more runs (folders, or ids in .seqlab/runs), e.g. seqlab compare <run> <run> (got ${positionals.length}).`);
      }
      return { name, runs: positionals, ...(values.out !== undefined ? { out: values.out } : {}) };
    }
    case 'runs': {
      const { positionals } = parse(rest, {});
      if (positionals.length > 1) throw new UsageError('`seqlab runs` takes at most one folder.');
      return { name, ...(positionals[0] !== undefined ? { dir: positionals[0] } : {}) };
    }
    case 'report': {
      const { positionals } = parse(rest, {});
      return { name, runDir: onePositional(positionals, 'report', 'a run folder') };
    }
    case 'import': {
      const { values, positionals } = parse(rest, { out: { type: 'string' }, force: { type: 'boolean' } });
      return { name, modelPath: onePositional(positionals, 'import', 'a Keras model (.json or .py)'), ...outputOptions(values) };
    }
    case 'export-keras': {
      const { values, positionals } = parse(rest, { out: { type: 'string' }, force: { type: 'boolean' } });
      return { name, specPath: onePositional(positionals, 'export-keras', 'a spec file'), ...outputOptions(values) };
    }
    default:
      throw new UsageError(`Unknown command "${name}". Commands: check, train, rerun, predict, probe, generate, forecast, runs, report, compare, import, export-keras.`);
  }
}

type OptionSpecs = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse<T extends OptionSpecs>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs' messages are clear ("Unknown option '--epoch'"); only the trailing hint is theirs.
    throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, '.'));
  }
}

function backendOption(value: string | undefined): BackendPreference {
  const backend = (value ?? 'auto') as BackendPreference;
  if (!BACKENDS.includes(backend)) throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')} (got "${value}").`);
  return backend;
}

function onePositional(positionals: string[], command: string, what: string): string {
  if (positionals.length !== 1) {
    throw new UsageError(`\`seqlab ${command}\` takes exactly one argument: ${what}${positionals.length > 1 ? ` (got ${positionals.length})` : ''}.`);
  }
  return positionals[0];
}

function outputOptions(values: { out?: string | boolean; force?: string | boolean }): { out?: string; force: boolean } {
  return { ...(typeof values.out === 'string' ? { out: values.out } : {}), force: values.force === true };
}

function wholeNumber(option: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < 0) throw new UsageError(`${option} must be a whole number of at least 0 (got "${text}").`);
  return value;
}

function nonNegativeNumber(option: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new UsageError(`${option} must be a number of at least 0 (got "${text}").`);
  return value;
}

/** A whole number from 1 (to `max`, where the command has a limit): anything else is a usage error (exit 2). */
function positiveInteger(option: string, text: string, max = Infinity): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new UsageError(`${option} must be a whole number ${max === Infinity ? 'of at least 1' : `from 1 to ${max}`} (got "${text}").`);
  }
  return value;
}

export const HELP = `seqlab — check and train recurrent sequence models described in *.seqlab.yaml files

Usage:
  seqlab check <spec>                 Report the spec's problems as file:line:col: severity: message,
                                      then the model summary. Exit code 2 when there is an error.
  seqlab train <spec> [options]       Train in a child process, log the run, write an HTML report.
      --epochs N                      Train N epochs instead of the spec's train.epochs.
      --quick                         A bounded preview on a slice of the data (at most 2 epochs).
      --out DIR                       Folder receiving the run folder (default: .seqlab/runs beside the spec).
      --backend auto|wasm|cpu|tensorflow
                                      TensorFlow.js backend (default auto: the fastest that works).
      --threads N                     At most N threads for the recurrent layers (default: every core).
  seqlab rerun <run>                  Train a completed run's spec snapshot again (same seed, backend, epochs
                                      and options) and say whether it reproduced the run: final metrics
                                      and every weight bit for bit, or what differed. Exit 3 if it differed.
  seqlab predict <run> "<input>"      Apply a run's model (or an exported model folder) to a text, or to
                                      numbers for series models ("112, 118, 132"), and print the prediction.
      --backend auto|wasm|cpu|tensorflow
  seqlab probe <run> "<input>"        Look inside: the prediction, which tokens pushed it which way (integrated
                                      gradients), and text heatmaps of every recurrent layer's hidden state and
                                      gates. Recorded in the run; its report.html draws it in colour.
      --backend auto|wasm|cpu|tensorflow
  seqlab generate <run> --seed "<text>" [options]
                                      Continue a text with a next-token model; the same command gives the same text.
      --length N                      Tokens to generate (default 200).
      --temperature T                 0 takes the most probable token; 1 samples the model as it is (default 0.8).
      --top-k K                       Draw among the K most probable tokens only (default 0: all).
      --sample S                      Another draw: 0, 1, 2... (default 0; seeded from the run's data.seed).
      --backend auto|wasm|cpu|tensorflow
  seqlab forecast <run> [--steps N]   Continue a forecast run's series N steps past its end (default 12), each
                                      forecast fed back as input (recursive multi-step), with dates when the
                                      data has a date column.
      --backend auto|wasm|cpu|tensorflow
  seqlab compare <run> <run>...       One HTML report comparing runs: curves overlaid, final and best metrics
                                      beside the baselines, and what differs between them (spec, seed, data,
                                      backend, versions). Prints what is not comparable.
      --out FILE                      Where to write it (default: compare.html in the first run's runs folder).
  seqlab runs [dir]                   List the runs in dir (a runs folder, or a folder with .seqlab/runs),
                                      newest first. Default: the current folder.
  seqlab report <runDir>              Re-render <runDir>/report.html from the run's logs.
  seqlab import <model.json|model.py> A Keras Sequential model (model.to_json() of Keras 2 or 3, or a .py
                                      file with a Sequential([...]) literal, read, never run) -> a spec
                                      beside it; prints what could not be carried over, with its line.
  seqlab export-keras <spec>          A standalone TensorFlow/Keras script that builds, feeds and trains
                                      the same model (<spec name>.py beside the spec).
      --out FILE                      Where import/export-keras write (- prints to stdout).
      --force                         Replace FILE when it exists.
  seqlab --help | --version

Ctrl-C during training stops after the current batch and saves the model; a second Ctrl-C kills it.
Exit codes: 0 completed or stopped, 1 failed, 2 spec errors or bad usage, 3 a re-run that did not reproduce.
Set SEQLAB_DEBUG=1 to see stack traces of unexpected errors.`;
