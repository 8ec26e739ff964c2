/**
 * Checks that need meaning rather than structure: does the layer stack build for this data, does
 * the output layer fit the loss and the task, do metrics and probes make sense for the source.
 * Runs on the leniently resolved spec, so it reports alongside schema errors.
 */
import { findBuiltin } from '../data/builtinCatalog';
import { checkProbes, checkSource, checkTrainingChoices } from './dataChecks';
import type { DataFacts } from './dataFacts';
import type { ResolvedSpec } from './resolve';
import type { Context, RawSpec } from './semanticContext';
import { checkDataFile } from './sourceChecks';
import { checkEmbeddingVocabulary, checkOutput, shapeDiagnostic } from './stackChecks';
import { inferShapes, type ModelInput } from './summary';
import type { LayerSpec, SpecDiagnostic } from './types';
import type { SpecSource } from './yamlSource';

export function semanticDiagnostics(source: SpecSource, raw: unknown, spec: ResolvedSpec, input: ModelInput, facts?: DataFacts): SpecDiagnostic[] {
  const context: Context = { source, raw: (raw ?? {}) as RawSpec, spec, input, ...(facts ? { facts } : {}) };
  const diagnostics = [...checkSource(context), ...checkDataFile(context), ...checkTrainingChoices(context), ...checkProbes(context)];
  const layers = spec.model.filter((layer): layer is LayerSpec => layer !== undefined);
  if (layers.length === 0 || layers.length !== spec.model.length) return diagnostics.filter((item) => item.code !== 'data-fit');
  diagnostics.push(...checkEmbeddingVocabulary(context, layers));
  const inference = inferShapes(layers, input);
  // Without a known source there is no telling whether the input is text or numbers.
  const sourceKnown = spec.data.source !== '' && !(spec.data.source.startsWith('builtin:') && !findBuiltin(spec.data.source));
  const issues = inference.issues.filter((issue) => sourceKnown || (issue.kind !== 'needs-embedding' && issue.kind !== 'embedding-on-values'));
  diagnostics.push(...issues.map((issue) => shapeDiagnostic(context, layers, inference, issue)));
  if (inference.issues.length === 0) diagnostics.push(...checkOutput(context, layers, inference));
  // The data's verdict on a layer the static checks already fault would say the same thing twice.
  const sameSpot = (a: SpecDiagnostic, b: SpecDiagnostic) => a !== b && JSON.stringify(a.range) === JSON.stringify(b.range);
  return diagnostics.filter((item) => item.code !== 'data-fit' || !diagnostics.some((other) => other.code !== 'data-fit' && other.severity === 'error' && sameSpot(item, other)));
}
