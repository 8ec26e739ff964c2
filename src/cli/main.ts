/**
 * `seqlab`, the command line of Sequence Lab (bundled to dist/cli.js). Parses the command,
 * runs it, and turns every failure into one clear line and an exit code.
 */
import { version as seqlabVersion } from '../../package.json';
import { HELP, parseCommand, type Command } from './args';
import { runCheck } from './commands/check';
import { runExportKeras } from './commands/exportKeras';
import { runImport } from './commands/importKeras';
import { runCompare } from './commands/compare';
import { runForecast } from './commands/forecast';
import { runGenerate } from './commands/generate';
import { consoleOutput, guardedStderr, guardedStdout } from './commands/io';
import { runPredict } from './commands/predict';
import { runProbe } from './commands/probe';
import { runRerun } from './commands/rerun';
import { runReport, runRuns } from './commands/runs';
import { runTrain } from './commands/train';
import { CliError, EXIT_FAILED } from './errors';

async function run(command: Command): Promise<number> {
  switch (command.name) {
    case 'help':
      consoleOutput.stdout(HELP);
      return 0;
    case 'version':
      consoleOutput.stdout(seqlabVersion);
      return 0;
    case 'check':
      return runCheck(command.specPath, consoleOutput);
    case 'train':
      return runTrain(command, consoleOutput, guardedStderr);
    case 'rerun':
      return runRerun(command, consoleOutput, guardedStderr);
    case 'predict':
      return runPredict(command, consoleOutput);
    case 'probe':
      return runProbe(command, consoleOutput);
    case 'generate':
      return runGenerate(command, consoleOutput, guardedStdout);
    case 'forecast':
      return runForecast(command, consoleOutput);
    case 'compare':
      return runCompare(command, consoleOutput);
    case 'runs':
      return runRuns(command.dir, consoleOutput);
    case 'report':
      return runReport(command.runDir, consoleOutput);
    case 'import':
      return runImport(command, consoleOutput);
    case 'export-keras':
      return runExportKeras(command, consoleOutput);
  }
}

async function main(): Promise<void> {
  try {
    process.exitCode = await run(parseCommand(process.argv.slice(2)));
  } catch (error) {
    if (error instanceof CliError) {
      consoleOutput.stderr(`seqlab: ${error.message}`);
      process.exitCode = error.exitCode;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    consoleOutput.stderr(`seqlab: unexpected error: ${message}`);
    if (process.env.SEQLAB_DEBUG === '1' && error instanceof Error) consoleOutput.stderr(error.stack ?? '');
    else consoleOutput.stderr('Set SEQLAB_DEBUG=1 to see the stack trace, and please report it.');
    process.exitCode = EXIT_FAILED;
  }
}

void main();
