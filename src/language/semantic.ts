/**
 * Checks that need meaning rather than structure: does the layer stack build for this data, does
 * the output layer fit the loss and the task, do metrics and probes make sense for the source.
 * Runs on the leniently resolved spec, so it reports alongside schema errors.
 */
import { findBuiltin } from '../data/builtinCatalog';
import { checkProbes, checkSource, checkTrainingChoices } from './dataChecks';
import type { ResolvedSpec } from './resolve';
import type { Context, RawSpec } from './semanticContext';
import { checkEmbeddingVocabulary, checkOutput, shapeDiagnostic } from './stackChecks';
import { inferShapes, type ModelInput } from './summary';
import type { LayerSpec, SpecDiagnostic } from './types';
import type { SpecSource } from './yamlSource';

export function semanticDiagnostics(source: SpecSource, raw: unknown, spec: ResolvedSpec, input: ModelInput): SpecDiagnostic[] {
  const context: Context = { source, raw: (raw ?? {}) as RawSpec, spec, input };
  const diagnostics = [...checkSource(context), ...checkTrainingChoices(context), ...checkProbes(context)];
  const layers = spec.model.filter((layer): layer is LayerSpec => layer !== undefined);
  if (layers.length === 0 || layers.length !== spec.model.length) return diagnostics;
  diagnostics.push(...checkEmbeddingVocabulary(context, layers));
  const inference = inferShapes(layers, input);
  // Without a known source there is no telling whether the input is text or numbers.
  const sourceKnown = spec.data.source !== '' && !(spec.data.source.startsWith('builtin:') && !findBuiltin(spec.data.source));
  const issues = inference.issues.filter((issue) => sourceKnown || (issue.kind !== 'needs-embedding' && issue.kind !== 'embedding-on-values'));
  diagnostics.push(...issues.map((issue) => shapeDiagnostic(context, layers, inference, issue)));
  if (inference.issues.length === 0) diagnostics.push(...checkOutput(context, layers, inference));
  return diagnostics;
}
