/** What every command needs from its surroundings, injectable so commands stay testable. */
import { readFileSync } from 'node:fs';
import { CliError } from '../errors';

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
