/** What every semantic check shares: the spec in both forms, and how to point at and fix it. */
import { findBuiltin } from '../data/builtinCatalog';
import type { DataFacts } from './dataFacts';
import type { ResolvedSpec } from './resolve';
import type { ModelInput } from './summary';
import type { LayerSpec, LossName, QuickFix, Severity, SpecDiagnostic, Task, TextEdit } from './types';
import type { KeyPath, SpecSource } from './yamlSource';

/**
 * The losses that can train each task. Binary also works as a two-class softmax; the categorical
 * cross-entropies take the data's class ids (`categorical_crossentropy` one-hot encodes them).
 */
export const ALLOWED_LOSSES: Record<Task, readonly LossName[]> = {
  binary: ['binary_crossentropy', 'sparse_categorical_crossentropy', 'categorical_crossentropy'],
  multiclass: ['sparse_categorical_crossentropy', 'categorical_crossentropy'],
  'next-token': ['sparse_categorical_crossentropy', 'categorical_crossentropy'],
  regression: ['mse', 'mae'],
  forecast: ['mse', 'mae'],
};

export interface Context {
  source: SpecSource;
  /** The raw YAML data: tells what the user wrote, as opposed to what defaults filled in. */
  raw: RawSpec;
  spec: ResolvedSpec;
  input: ModelInput;
  /** What reading the data taught, when the caller has read it (see DataFacts). */
  facts?: DataFacts;
}

export interface RawSpec {
  data?: Record<string, unknown>;
  train?: Record<string, unknown>;
  inspect?: { probes?: unknown[] };
}

export function diagnostic(severity: Severity, code: string, context: Context, path: KeyPath, message: string, fixes?: QuickFix[]): SpecDiagnostic {
  return { severity, code, message, range: context.source.rangeOf(path), ...(fixes && fixes.length > 0 ? { fixes } : {}) };
}

/** Where the recurrent settings of layer `index` live: the layer, or the layer a `bidirectional` wraps. */
export function recurrentMapPath(layers: readonly LayerSpec[], index: number): KeyPath {
  return layers[index]!.type === 'bidirectional' ? ['model', index, 'layer'] : ['model', index];
}

/** The key when the user wrote it, else the mapping's `type` (a default has no text to point at). */
export function writtenOrType(context: Context, mapPath: KeyPath, key: string): KeyPath {
  return context.source.locate([...mapPath, key]) ? [...mapPath, key] : [...mapPath, 'type'];
}

export function layerLabel(layers: readonly LayerSpec[], index: number): string {
  return `layer ${index + 1} (\`${layers[index]!.type}\`)`;
}

export function replaceValue(context: Context, path: KeyPath, title: string, newText: string): QuickFix {
  return { title, edits: [{ range: context.source.rangeOf(path), newText }] };
}

export function setKeys(context: Context, title: string, mapPath: KeyPath, values: Record<string, string>): QuickFix[] {
  const edits = Object.entries(values).flatMap(([key, value]) => context.source.setKey(mapPath, key, value) ?? []);
  return edits.length === 0 ? [] : [{ title, edits: mergeInsertions(edits) }];
}

/** Two insertions at the same point must become one edit, or editors apply them in either order. */
function mergeInsertions(edits: TextEdit[]): TextEdit[] {
  const merged: TextEdit[] = [];
  for (const edit of edits) {
    const same = merged.find((other) => JSON.stringify(other.range) === JSON.stringify(edit.range));
    if (same) same.newText += edit.newText;
    else merged.push({ ...edit });
  }
  return merged;
}

/** Token ids the data gives (padding and OOV included); undefined for a character vocabulary sized from unread data. */
export function vocabularySize(context: Context): number | undefined {
  return findBuiltin(context.spec.data.source)?.vocabularySize ?? context.spec.data.tokenizer.vocab_size;
}
