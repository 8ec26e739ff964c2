/**
 * `seqlab import <model.json | model.py>`: a Keras model -> a spec beside it. Prints what could
 * not be carried over as `file:line:col: severity: message`, the spec's summary (with Keras'
 * own count where it differs), and where the spec was written.
 */
import { basename } from 'node:path';
import { importKerasModel, KerasImportError, specFileName, type KerasImportResult } from '../../interop/keras/importModel';
import { formatSummaryTable } from '../../language/summary';
import { CliError, EXIT_OK, EXIT_SPEC_ERRORS } from '../errors';
import { checkOutputFile, readInputFile, writeOutputFile, type Output } from './io';

export interface ImportOptions {
  modelPath: string;
  /** Where to write the spec; `-` prints it. Default: `<model>.seqlab.yaml` beside the model. */
  out?: string;
  force: boolean;
}

export function runImport(options: ImportOptions, out: Output): number {
  const text = readInputFile(options.modelPath, 'the Keras model');
  let result: KerasImportResult;
  try {
    result = importKerasModel(text, options.modelPath);
  } catch (error) {
    if (!(error instanceof KerasImportError)) throw error;
    throw new CliError(`${options.modelPath}:${error.origin.line}:${error.origin.column}: ${error.message}`, EXIT_SPEC_ERRORS);
  }
  const target = options.out ?? specFileName(options.modelPath);
  if (target === '-') {
    out.stdout(result.specText.trimEnd());
    reportIssues(options.modelPath, result, out.stderr);
    return EXIT_OK;
  }
  const outputOptions = { force: options.force, inputs: [options.modelPath] };
  checkOutputFile(target, outputOptions);
  reportIssues(options.modelPath, result, out.stdout);
  if (result.summary) {
    out.stdout('');
    out.stdout(formatSummaryTable(result.summary));
    const differing = result.summary.layers.filter((layer) => layer.kerasParams !== undefined && layer.kerasParams !== layer.params);
    for (const layer of differing) {
      out.stdout(`Keras counts ${layer.kerasParams!.toLocaleString('en-US')} parameters for ${layer.name}, the spec ${layer.params.toLocaleString('en-US')} (see the error above).`);
    }
    const unknown = result.summary.layers.find((layer) => layer.unknownAfter);
    if (unknown?.unknownAfter) {
      out.stdout(`Keras' own counts from ${unknown.name} on are not known here: the ${unknown.unknownAfter.label} left out at line ${unknown.unknownAfter.line} changes the shapes Keras builds after it.`);
    } else if (differing.length > 0 && result.summary.kerasTotalParams !== undefined) {
      out.stdout(`Keras' total: ${result.summary.kerasTotalParams.toLocaleString('en-US')}.`);
    }
  }
  writeOutputFile(target, result.specText, outputOptions);
  const source = result.diagnostics.find((diagnostic) => diagnostic.message.includes('`source`'));
  out.stderr(`Wrote ${target} (from ${result.format}).${source ? ` Next: set data.source (line ${source.range.start.line + 1}), then \`seqlab check ${basename(target)}\`.` : ''}`);
  return EXIT_OK;
}

function reportIssues(file: string, result: KerasImportResult, write: (line: string) => void): void {
  for (const issue of result.issues) write(`${file}:${issue.origin.line}:${issue.origin.column}: ${issue.severity}: ${issue.message}`);
}
