/**
 * Errors the CLI reports as one line and an exit code, never a stack. Anything else escaping a
 * command is a bug and is reported the same way (with the stack under SEQLAB_DEBUG=1).
 */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_SPEC_ERRORS = 2;
/** `seqlab rerun`: the re-run completed but did not reproduce its run. */
export const EXIT_DIFFERED = 3;

/** A problem the user can fix; `exitCode` defaults to failure. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILED,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The command line itself is wrong: the message is followed by a pointer to `--help`. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(`${message}\nRun \`seqlab --help\` for usage.`, EXIT_SPEC_ERRORS);
    this.name = 'UsageError';
  }
}
