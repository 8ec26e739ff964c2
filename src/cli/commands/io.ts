/** What every command needs from its surroundings, injectable so commands stay testable. */
import { readFileSync } from 'node:fs';
import { CliError } from '../errors';

export interface Output {
  stdout(line: string): void;
  stderr(line: string): void;
}

export const consoleOutput: Output = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
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
