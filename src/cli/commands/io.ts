/** What every command needs from its surroundings, injectable so commands stay testable. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliError, UsageError } from '../errors';

export interface Output {
  stdout(line: string): void;
  stderr(line: string): void;
}

/**
 * Writes to a stream until its reader goes away. `seqlab check spec | head -1` closes stdout
 * early: node reports that as an asynchronous EPIPE error which, unhandled, ends the process with
 * a stack trace and the wrong exit code. The rest of that stream's output is then dropped, and the
 * command still ends with its own exit code. A closed terminal (EIO after SIGHUP) is treated alike.
 */
export class GuardedStream {
  private closed = false;

  constructor(private readonly stream: NodeJS.WriteStream) {
    // Whatever the error, nothing more can be written there; the exit code still says how it went.
    stream.on('error', () => (this.closed = true));
  }

  /** Also a ProgressStream: the progress bar asks whether it draws on a terminal, and how wide. */
  get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  get columns(): number | undefined {
    return this.stream.columns;
  }

  write(text: string): boolean {
    if (this.closed) return false;
    try {
      return this.stream.write(text);
    } catch {
      // A synchronous write (a file, a pipe on Linux) may throw instead of emitting 'error'.
      this.closed = true;
      return false;
    }
  }
}

export const guardedStdout = new GuardedStream(process.stdout);
export const guardedStderr = new GuardedStream(process.stderr);

export const consoleOutput: Output = {
  stdout: (line) => guardedStdout.write(`${line}\n`),
  stderr: (line) => guardedStderr.write(`${line}\n`),
};

export function readSpecFile(specPath: string): string {
  return readInputFile(specPath, 'the spec');
}

/** A text file the user named on the command line; `what` names it in the error (`the spec`). */
export function readInputFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new CliError(`Cannot read ${what} ${path}: ${reason}.`);
  }
}

/**
 * Creates the folder of an output file (`--out`) if it is missing, as `train --out` does with its
 * runs folder. Throws a CliError when it cannot (a file stands where a folder should be).
 */
export function ensureOutputFolder(target: string): void {
  const folder = dirname(resolve(target));
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new CliError(`Cannot write ${target}: its folder ${folder} cannot be created (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

export interface OutputFileOptions {
  /** Replace an existing file. */
  force: boolean;
  /** The command's input files: never overwritten, even with `force`. */
  inputs: string[];
}

/** Throws unless `target` may be written (see writeOutputFile); a command checks before long work. */
export function checkOutputFile(target: string, options: OutputFileOptions): void {
  const input = options.inputs.find((path) => resolve(path) === resolve(target));
  if (input !== undefined) throw new UsageError(`--out ${target} is the input file itself; choose another file, so that ${input} is not overwritten.`);
  if (existsSync(target) && !options.force) {
    throw new CliError(`${target} already exists. Choose another file with --out, or replace it with --force.`);
  }
}

/**
 * Writes a command's output file: refuses one of its own inputs (a usage error) and an existing
 * file without `force`, creates a missing folder, and reports a failed write as one sentence.
 */
export function writeOutputFile(target: string, text: string, options: OutputFileOptions): void {
  checkOutputFile(target, options);
  ensureOutputFolder(target);
  try {
    writeFileSync(target, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new CliError(`Cannot write ${target}: ${reason}.`);
  }
}
