/**
 * The data source as a file: a readable extension, where it lives, a task that fits it, and, once
 * the data has been read (DataFacts from the caller), what the data itself says: a file that does
 * not exist or cannot be read, classes or token ids that do not fit the model, warnings.
 */
import { refersToEnvironment } from '../data/dataPaths';
import { formatOf, isFileSource, SUPPORTED_EXTENSIONS } from '../data/formats';
import { dataFitProblems, outputLayer } from './dataFacts';
import { diagnostic, writtenOrType, type Context } from './semanticContext';
import type { SpecDiagnostic } from './types';
import type { KeyPath } from './yamlSource';

const SOURCE: KeyPath = ['data', 'source'];

/** How to get from a format people have to one Sequence Lab reads. */
const CONVERSIONS: Record<string, string> = {
  parquet: "Convert it to CSV, e.g. with pandas: `pd.read_parquet('data.parquet').to_csv('data.csv', index=False)`.",
  feather: "Convert it to CSV, e.g. with pandas: `pd.read_feather('data.feather').to_csv('data.csv', index=False)`.",
  xlsx: 'Save it as CSV from the spreadsheet (File > Save As > CSV).',
  xls: 'Save it as CSV from the spreadsheet (File > Save As > CSV).',
  json: 'Write one JSON object per line and name the file `.jsonl`.',
  zip: 'Extract it and point `data.source` at the file inside.',
  tar: 'Extract it and point `data.source` at the file inside.',
  tgz: 'Extract it and point `data.source` at the file inside.',
};

export function checkDataFile(context: Context): SpecDiagnostic[] {
  const { data } = context.spec;
  if (!isFileSource(data.source)) return [];
  const diagnostics: SpecDiagnostic[] = [];
  const validationPath: KeyPath = ['data', 'validation', 'source'];
  const files: [KeyPath, string][] = [[SOURCE, data.source], ...('source' in data.validation ? [[validationPath, data.validation.source] as [KeyPath, string]] : [])];
  for (const [path, file] of files) {
    // `${env:NAME}` is only known where the data is read: the data facts report what it names.
    if (refersToEnvironment(file)) continue;
    if (!formatOf(file)) {
      const extension = /\.([A-Za-z0-9]+)(?:\.gz)?$/.exec(file)?.[1]?.toLowerCase() ?? '';
      const advice = CONVERSIONS[extension] ?? 'Convert it to one of them.';
      diagnostics.push(diagnostic('error', 'source', context, path, `Sequence Lab cannot read \`.${extension}\` files: it reads ${SUPPORTED_EXTENSIONS.filter((ext) => !ext.endsWith('.gz')).join(', ')} (each optionally .gz), and plain text without extension. ${advice}`));
    }
    if (outsideFolder(file)) {
      diagnostics.push(
        diagnostic('info', 'source-location', context, path, `\`${file}\` is outside the spec's folder. That works (paths are relative to the spec file) and each run records the file's path and hash, but copying or sharing this folder will not bring the data along.`),
      );
    }
  }
  const wrote = context.raw.data ?? {};
  const columns = (wrote.columns ?? {}) as Record<string, unknown>;
  if (data.task === 'next-token' && columns.label !== undefined) {
    diagnostics.push(
      diagnostic('error', 'task', context, ['data', 'task'], `\`next-token\` learns to continue the text and uses no labels, but \`columns.label\` names a label column: to predict the labels use \`task: binary\` or \`task: multiclass\`; to continue the text, remove \`columns.label\`.`),
    );
  }
  return [...diagnostics, ...factDiagnostics(context)];
}

/** Diagnostics from reading the data (only facts read for this very source and task). */
function factDiagnostics(context: Context): SpecDiagnostic[] {
  const { facts, spec } = context;
  if (!facts || facts.source !== spec.data.source || facts.task !== spec.data.task) return [];
  if (facts.problem) return [diagnostic('error', 'data', context, SOURCE, facts.problem.message)];
  const diagnostics: SpecDiagnostic[] = [];
  const output = outputLayer(spec.model);
  for (const problem of dataFitProblems(spec, facts)) {
    const path = problem.at === 'embedding-input-dim' ? writtenOrType(context, ['model', 0], 'input_dim') : writtenOrType(context, outputPath(spec.model, output?.index ?? problem.layer), 'units');
    diagnostics.push(diagnostic(problem.severity, 'data-fit', context, path, problem.message));
  }
  for (const warning of facts.warnings ?? []) diagnostics.push(diagnostic('warning', 'data', context, SOURCE, warning));
  if (facts.missing && spec.data.missing !== 'error') {
    const lines = facts.missing.lines.join(', ');
    diagnostics.push(diagnostic('info', 'data', context, ['data', 'missing'], `${facts.missing.count} missing values will be filled by \`${spec.data.missing}\` (first at lines ${lines}).`));
  }
  const labelColumn = facts.columns?.find((column) => column.name === spec.data.columns.label);
  if (spec.data.task === 'next-token' && labelColumn && ((context.raw.data?.columns ?? {}) as Record<string, unknown>).label === undefined) {
    diagnostics.push(
      diagnostic('warning', 'task', context, ['data', 'task'], `The file has a \`${labelColumn.name}\` column, but \`next-token\` uses no labels and learns to continue the \`${spec.data.columns.text}\` column: to classify the texts use \`task: binary\` or \`task: multiclass\`.`),
    );
  }
  return diagnostics;
}

/** Where an output layer's `units` live: the layer, or the dense layer a `time_distributed` wraps. */
function outputPath(layers: Context['spec']['model'], index: number): KeyPath {
  return layers[index]?.type === 'time_distributed' ? ['model', index, 'layer'] : ['model', index];
}

/** An absolute path, or a relative one whose `..` segments climb above the spec's folder. */
function outsideFolder(file: string): boolean {
  if (/^(?:[\\/]|[A-Za-z]:[\\/])/.test(file)) return true;
  let depth = 0;
  for (const segment of file.split(/[\\/]+/)) {
    if (segment === '..') depth--;
    else if (segment !== '.' && segment !== '') depth++;
    if (depth < 0) return true;
  }
  return false;
}
