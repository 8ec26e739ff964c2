/**
 * `seqlab export-keras <spec>`: the spec as a standalone TensorFlow/Keras script
 * (`<spec name>.py` beside the spec, or `--out`). A spec with errors is refused with its diagnostics.
 */
import { dirname, join, resolve } from 'node:path';
import { exportKerasScript } from '../../interop/keras/exportScript';
import { checkSpec } from '../../language/check';
import { formatDiagnostic } from '../../language/format';
import { CliError, EXIT_OK, EXIT_SPEC_ERRORS } from '../errors';
import { readSpecFile, writeOutputFile, type Output } from './io';

export interface ExportKerasOptions {
  specPath: string;
  /** Where to write the script; `-` prints it. Default: `<spec name>.py` beside the spec. */
  out?: string;
  force: boolean;
}

export function runExportKeras(options: ExportKerasOptions, out: Output): number {
  const result = checkSpec(readSpecFile(options.specPath), { specPath: options.specPath });
  const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (!result.spec || !result.summary || errors.length > 0) {
    for (const diagnostic of errors) out.stderr(formatDiagnostic(options.specPath, diagnostic));
    throw new CliError(`${options.specPath} has errors; fix them (\`seqlab check\`) before exporting it.`, EXIT_SPEC_ERRORS);
  }
  const target = options.out ?? join(dirname(options.specPath), `${result.spec.name}.py`);
  const script = exportKerasScript(result.spec, result.summary, {
    specPath: resolve(options.specPath),
    scriptPath: resolve(target === '-' ? options.specPath : target),
  });
  if (target === '-') {
    out.stdout(script.trimEnd());
    return EXIT_OK;
  }
  writeOutputFile(target, script, { force: options.force, inputs: [options.specPath] });
  out.stderr(`Wrote ${target}: ${result.summary.layers.length} layers, ${result.summary.totalParams.toLocaleString('en-US')} parameters. Run it with \`python ${target}\` (TensorFlow 2).`);
  return EXIT_OK;
}
