/**
 * The reference Python environment that `npm test` installs (scripts/python-env.sh): real Keras on
 * TensorFlow, PyTorch 2, librosa, sacreBLEU, Optuna and Ray. Tests that compare with them ask
 * `referencePython()` and skip, saying why, on a machine where the packages could not be installed.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const VENV = resolve(__dirname, '..', '..', '.cache', 'python');

/** The environment's interpreter, or why there is none (for `describe(…, { skip })`). */
export type ReferencePython = { python: string } | { unavailable: string };

let cached: ReferencePython | undefined;

/** Reads `.cache/python/status` (written by scripts/python-env.sh); never installs anything. */
export function referencePython(): ReferencePython {
  if (cached) return cached;
  const statusFile = join(VENV, 'status');
  const status = existsSync(statusFile) ? readFileSync(statusFile, 'utf8').split('\n')[0] : '';
  const python = join(VENV, 'bin', 'python');
  if (status.startsWith('ok ') && existsSync(python)) cached = { python };
  else cached = { unavailable: status.replace(/^unavailable: /, '') || 'the reference Python environment is not installed: run `bash scripts/python-env.sh`' };
  return cached;
}

/** `skip` option for node:test: false when the environment is there, else the sentence saying why. */
export function skipWithoutReferencePython(): false | string {
  const reference = referencePython();
  return 'python' in reference ? false : `reference Python packages unavailable (${reference.unavailable})`;
}

/**
 * Runs a Python script of the reference environment and returns its stdout. TensorFlow's start-up
 * logging is silenced; a non-zero exit throws with the script's stderr.
 * @throws Error when the environment is missing or the script fails.
 */
export function runReferencePython(script: string, args: string[] = [], options: SpawnSyncOptions = {}): string {
  const reference = referencePython();
  if (!('python' in reference)) throw new Error(`reference Python unavailable: ${reference.unavailable}`);
  const result = spawnSync(reference.python, [script, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    ...options,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', PYTHONHASHSEED: '0', KERAS_BACKEND: 'tensorflow', ...options.env },
  });
  if (result.status !== 0) throw new Error(`${script} exited ${result.status ?? result.signal}:\n${String(result.stderr).slice(-4000)}`);
  return String(result.stdout);
}
