/**
 * What the Keras readers (`model.to_json()` files and Python `Sequential([...])` literals) agree
 * on: the model's layers as Keras objects with Keras' own argument names, each value with the
 * place in the file it came from. The mapping to a spec (`toSpec.ts`) works on this alone.
 */

/** A place in the imported file: a JSON path or a Python expression, with its 1-based line and column. */
export interface Origin {
  where: string;
  line: number;
  column: number;
}

export type KerasValue = null | boolean | number | string | KerasValue[] | KerasObject | KerasMapping | Unreadable;

/**
 * A Keras object: a layer, an initializer, an optimizer, a callback. From JSON `{class_name,
 * config}` (Keras 3 adds `module` and `registered_name`), or from a Python call whose positional
 * arguments were named after the class' signature.
 */
export interface KerasObject {
  kind: 'object';
  className: string;
  config: Record<string, KerasValue>;
  origin: Origin;
  /** Where each value of `config` is. */
  origins: Record<string, Origin>;
}

/** A plain mapping: a JSON object without `class_name`, a Python dict literal. */
export interface KerasMapping {
  kind: 'mapping';
  entries: Record<string, KerasValue>;
}

/** A Python expression outside the literal subset: kept as text, never evaluated. */
export interface Unreadable {
  kind: 'unreadable';
  text: string;
  /** Why it cannot be read: `a subscript (\`[...]\`)`. */
  reason: string;
  origin: Origin;
}

export type IssueSeverity = 'error' | 'warning' | 'info';

/**
 * Something the import could not carry over, or carried over differently. `error`: the spec's model
 * differs from the Keras model (a layer or a setting that changes what it computes is missing);
 * `warning`: a training-time setting was dropped (initializer, regularizer); `info`: noted only.
 */
export interface ImportIssue {
  severity: IssueSeverity;
  message: string;
  origin: Origin;
}

export type KerasSourceFormat = 'Keras 2 JSON' | 'Keras 3 JSON' | 'TensorFlow.js JSON' | 'Python';

export interface KerasModelDescription {
  format: KerasSourceFormat;
  /** `keras_version` of a Keras 2 file. */
  kerasVersion?: string;
  name?: string;
  layers: KerasObject[];
  /** The batch input shape, batch dimension first: `[null, 200]` for 200 token ids. */
  inputShape?: { shape: (number | null)[]; origin: Origin };
  /** `model.compile(...)` arguments (Python) or Keras 3's `compile_config`. */
  compile?: KerasObject;
  /** `model.fit(...)` arguments (Python only). */
  fit?: KerasObject;
  /** Data preparation calls found beside the model (Python only): `Tokenizer`, `pad_sequences`, `imdb.load_data`. */
  preprocessing: KerasObject[];
  /** Problems the reader met (unreadable expressions, a second model, ...). */
  issues: ImportIssue[];
}

export function isKerasObject(value: KerasValue | undefined): value is KerasObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'object';
}

export function isMapping(value: KerasValue | undefined): value is KerasMapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'mapping';
}

export function isUnreadable(value: KerasValue | undefined): value is Unreadable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'unreadable';
}

/** Where `key` of `object` is; the object itself when the key is absent. */
export function originOf(object: KerasObject, key: string): Origin {
  return object.origins[key] ?? object.origin;
}

/** A value as Python would print it (for messages): `'relu'`, `True`, `None`, `[64, 32]`. */
export function describeValue(value: KerasValue | undefined): string {
  if (value === undefined || value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  if (value.kind === 'object') return `${value.className}(...)`;
  if (value.kind === 'mapping') return '{...}';
  return value.text;
}
