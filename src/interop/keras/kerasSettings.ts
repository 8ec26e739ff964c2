/**
 * Reading one Keras object's settings (a layer, an optimizer, `compile`/`fit` arguments) for the import: typed getters that report a value of the
 * wrong kind, checks that a setting Sequence Lab cannot express still has Keras' default, and at
 * the end a report of every setting nobody read (so nothing is dropped silently).
 */
import { describeValue, isKerasObject, isUnreadable, originOf, type ImportIssue, type IssueSeverity, type KerasObject, type KerasValue } from './kerasModel';

/** Settings of every Keras layer that change nothing Sequence Lab models (names, dtypes, build bookkeeping). */
const BOOKKEEPING = ['name', 'dtype', 'batch_input_shape', 'batch_size', 'input_shape', 'autocast', 'input_dtype', 'sparse', 'ragged'];

export class KerasSettings {
  private readonly read = new Set<string>(BOOKKEEPING);
  /** Settings that had no place in the spec, for a YAML comment on the layer. */
  readonly notes: string[] = [];

  constructor(
    readonly object: KerasObject,
    private readonly issues: ImportIssue[],
    /** How messages name the object: `LSTM "lstm_1"`, `compile()`. */
    readonly label: string,
  ) {
    if (object.config.trainable === false) {
      this.report('warning', 'trainable', 'is frozen (trainable=False); Sequence Lab trains every layer.');
    }
    this.read.add('trainable');
  }

  has(key: string): boolean {
    const value = this.object.config[key];
    return value !== undefined && value !== null;
  }

  /**
   * The value of `key`, marked as read. A Python expression the reader could not turn into a
   * literal is reported here, where a value was needed, and reads as absent.
   */
  value(key: string): KerasValue | undefined {
    this.read.add(key);
    const value = this.object.config[key];
    if (isUnreadable(value)) {
      this.report('warning', key, `= ${value.text} is not a literal the importer reads (${value.reason}); it was left out.`);
      return undefined;
    }
    return value;
  }

  /** A number (Keras writes `0.0`); `fallback` when absent or null, reported when of another kind. */
  number(key: string, fallback: number): number {
    const value = this.value(key);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.report('error', key, `is ${describeValue(value)}, not a number; the spec uses ${fallback}.`);
    return fallback;
  }

  /** A required whole number (units, sizes): without it the layer is left out, which is reported. */
  integer(key: string): number | undefined {
    const raw = this.object.config[key];
    this.read.add(key);
    if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
    const problem = isUnreadable(raw)
      ? `= ${raw.text} is not a literal the importer reads (${raw.reason})`
      : raw === undefined || raw === null
        ? 'is missing'
        : `is ${describeValue(raw)}, not a whole number`;
    this.report('error', key, `${problem}; the layer was left out.`);
    return undefined;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.value(key);
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    this.report('error', key, `is ${describeValue(value)}, not True or False; the spec uses ${fallback ? 'True' : 'False'}.`);
    return fallback;
  }

  /** A string setting, or undefined when absent or null. */
  text(key: string): string | undefined {
    const value = this.value(key);
    return typeof value === 'string' ? value : undefined;
  }

  /**
   * A setting Sequence Lab has no field for: fine while it has Keras' default, reported (and noted
   * on the layer) otherwise. `consequence` completes "…; <consequence>".
   */
  requireDefault(key: string, isDefault: (value: KerasValue) => boolean, severity: IssueSeverity, consequence: string): void {
    const value = this.value(key);
    if (value === undefined || value === null || isDefault(value)) return;
    this.report(severity, key, `= ${describeValue(value)} is not supported; ${consequence}`);
    this.notes.push(`Keras: ${key}=${describeValue(value)} (not supported)`);
  }

  /** Settings that change how fast Keras runs, or its bookkeeping, never what it computes. */
  ignore(...keys: string[]): void {
    for (const key of keys) this.read.add(key);
  }

  report(severity: IssueSeverity, key: string | undefined, message: string): void {
    const origin = key === undefined ? this.object.origin : originOf(this.object, key);
    const subject = key === undefined ? this.label : `${this.label}: ${key}`;
    this.issues.push({ severity, message: `${subject} ${message}`, origin });
  }

  /** Reports every setting with a value that no rule read: the import does not know it. */
  finish(): void {
    for (const [key, value] of Object.entries(this.object.config)) {
      if (this.read.has(key) || value === null) continue;
      this.report('warning', key, `= ${describeValue(value)} is a setting the importer does not know; it was ignored.`);
      this.notes.push(`Keras: ${key}=${describeValue(value)} (ignored)`);
    }
  }
}

/** `GlorotUniform`, `glorot_uniform` and `VarianceScaling(1, fan_avg, uniform)` all read `glorotuniform`. */
function initializerName(value: KerasValue): string | undefined {
  const name = typeof value === 'string' ? value : isKerasObject(value) ? value.className : undefined;
  return name?.toLowerCase().replace(/_/g, '').replace(/initializer$/, '');
}

function numberSetting(object: KerasObject, key: string, fallback: number): number {
  const value = object.config[key];
  return typeof value === 'number' ? value : fallback;
}

export type DefaultInitializer = 'glorot_uniform' | 'orthogonal' | 'zeros' | 'uniform';

/**
 * Whether an initializer is the Keras default Sequence Lab also uses (seeds aside: runs take theirs
 * from `data.seed`). Defaults per Keras' layer signatures: kernels `glorot_uniform`, recurrent
 * kernels `orthogonal` (gain 1), biases `zeros`, embeddings `uniform` (U(-0.05, 0.05)).
 */
export function isDefaultInitializer(expected: DefaultInitializer): (value: KerasValue) => boolean {
  return (value) => {
    const name = initializerName(value);
    const object = isKerasObject(value) ? value : undefined;
    switch (expected) {
      case 'glorot_uniform':
        if (name === 'variancescaling' && object) {
          return numberSetting(object, 'scale', 1) === 1 && object.config.mode === 'fan_avg' && object.config.distribution === 'uniform';
        }
        return name === 'glorotuniform';
      case 'orthogonal':
        return name === 'orthogonal' && (!object || numberSetting(object, 'gain', 1) === 1);
      case 'zeros':
        return name === 'zeros' || name === 'zero';
      case 'uniform':
        if (name === 'uniform') return true;
        return name === 'randomuniform' && (!object || (numberSetting(object, 'minval', -0.05) === -0.05 && numberSetting(object, 'maxval', 0.05) === 0.05));
    }
  };
}

export const isFalse = (value: KerasValue): boolean => value === false;
export const isTrue = (value: KerasValue): boolean => value === true;
