/**
 * Reads a Keras model topology, as `model.to_json()` writes it, into a KerasModelDescription.
 *
 * Formats (from Keras' `get_config` / `serialize_keras_object`):
 * - Keras 2 (tf.keras up to TF 2.15): `{"class_name": "Sequential", "config": {"name", "layers":
 *   [{"class_name", "config"}]}, "keras_version", "backend"}`; the first layer (or an `InputLayer`)
 *   carries `batch_input_shape`, an `Embedding` its `input_length`. Keras up to 2.1 wrote the layer
 *   list as `config` itself.
 * - Keras 3: every object is `{"module", "class_name", "config", "registered_name"}`, layers add
 *   `build_config: {"input_shape"}`, an `InputLayer` has `batch_shape`, the model may carry
 *   `compile_config` (optimizer, loss, metrics) and `build_input_shape`.
 * - A TensorFlow.js `model.json` (`{"modelTopology": ...}`) holds either of them.
 * A functional model (`Functional`, `Model`) whose layers form a single chain reads like a
 * Sequential one (TensorFlow.js saves Sequence Lab's own models that way).
 */
import type { ImportIssue, KerasModelDescription, KerasObject, KerasValue, Origin } from './kerasModel';
import { formatJsonPath, JsonSyntaxError, LocatedJson, type JsonPath } from './locatedJson';

/** The file cannot be imported at all; `origin` says where the reason is. */
export class KerasImportError extends Error {
  constructor(
    message: string,
    readonly origin: Origin,
  ) {
    super(message);
    this.name = 'KerasImportError';
  }
}

type Json = Record<string, unknown>;

const MODEL_CLASSES = ['Sequential', 'Functional', 'Model'];

/** Throws KerasImportError for a file that is not JSON or not a Keras model. */
export function readKerasJson(text: string): KerasModelDescription {
  let document: LocatedJson;
  try {
    document = LocatedJson.parse(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new KerasImportError(`The file is not valid JSON: ${error.message}.`, { where: 'JSON syntax', line: error.line, column: error.column });
  }
  return new JsonReader(document).read();
}

class JsonReader {
  private readonly issues: ImportIssue[] = [];
  private inputShape?: KerasModelDescription['inputShape'];

  constructor(private readonly document: LocatedJson) {}

  read(): KerasModelDescription {
    const { model, path } = this.modelRoot();
    const className = model.class_name;
    const config = model.config;
    const layerList = Array.isArray(config) ? config : asObject(config)?.layers;
    const layersPath: JsonPath = Array.isArray(config) ? [...path, 'config'] : [...path, 'config', 'layers'];
    if (!Array.isArray(layerList)) {
      throw new KerasImportError(`This ${String(className)} model has no layer list (\`config.layers\`).`, this.origin(path));
    }
    // Keras 2 writes its version; Keras 3 writes none but a `module` on every object (tf.keras
    // 2.13-2.15 added `module` to nested objects too, so the version decides first).
    const version = typeof model.keras_version === 'string' ? model.keras_version : undefined;
    const keras3 = version ? version.startsWith('3') : 'module' in model;
    const format = version?.startsWith('tfjs') ? 'TensorFlow.js JSON' : keras3 ? 'Keras 3 JSON' : 'Keras 2 JSON';
    const layers = this.layers(layerList, layersPath, className !== 'Sequential');
    this.readModelInputShape(model, path);
    const compileConfig = asObject(model.compile_config);
    const name = asObject(config)?.name;
    return {
      format,
      ...(version && format !== 'TensorFlow.js JSON' ? { kerasVersion: version } : {}),
      ...(typeof name === 'string' ? { name } : {}),
      layers,
      ...(this.inputShape ? { inputShape: this.inputShape } : {}),
      ...(compileConfig ? { compile: this.object('compile', compileConfig, [...path, 'compile_config']) } : {}),
      preprocessing: [],
      issues: this.issues,
    };
  }

  /** The model object, unwrapping a TensorFlow.js `model.json`. */
  private modelRoot(): { model: Json; path: JsonPath } {
    let path: JsonPath = [];
    let model = asObject(this.document.value);
    if (model && asObject(model.modelTopology)) {
      path = ['modelTopology'];
      model = asObject(model.modelTopology);
      if (model && asObject(model.model_config)) {
        path = [...path, 'model_config'];
        model = asObject(model.model_config);
      }
    }
    if (!model || typeof model.class_name !== 'string') {
      throw new KerasImportError(
        'This is not a Keras model topology: expected a JSON object with "class_name" (as `model.to_json()` writes it).',
        this.origin(path),
      );
    }
    if (!MODEL_CLASSES.includes(model.class_name)) {
      throw new KerasImportError(
        `The top-level object is a ${model.class_name}, not a model. Export the whole model with \`model.to_json()\`.`,
        this.origin([...path, 'class_name']),
      );
    }
    return { model, path };
  }

  private layers(list: unknown[], path: JsonPath, functional: boolean): KerasObject[] {
    const layers: KerasObject[] = [];
    let previous: string | undefined;
    list.forEach((entry, index) => {
      const layerPath = [...path, index];
      const layer = asObject(entry);
      if (!layer || typeof layer.class_name !== 'string') {
        this.issue('error', 'This layer entry has no "class_name"; it was skipped.', layerPath);
        return;
      }
      const config = asObject(layer.config) ?? {};
      if (functional) this.checkChain(layer, previous, layerPath);
      previous = typeof layer.name === 'string' ? layer.name : typeof config.name === 'string' ? config.name : undefined;
      if (layer.class_name === 'InputLayer') {
        this.readInputLayer(config, [...layerPath, 'config']);
        return;
      }
      if (layers.length === 0) this.readFirstLayerShape(layer, config, layerPath);
      layers.push(this.object(layer.class_name, config, [...layerPath, 'config'], layerPath));
    });
    return layers;
  }

  /** A functional model imports only when each layer takes the previous one's output. */
  private checkChain(layer: Json, previous: string | undefined, path: JsonPath): void {
    const nodes = Array.isArray(layer.inbound_nodes) ? layer.inbound_nodes : [];
    const sources = JSON.stringify(nodes).match(/"([^"]+)",\s*0,\s*0/g) ?? [];
    const inbound = [...new Set(sources.map((source) => /"([^"]+)"/.exec(source)![1]))];
    const chained = previous === undefined ? inbound.length === 0 : inbound.length === 1 && inbound[0] === previous;
    if (!chained && nodes.length > 0) {
      throw new KerasImportError(
        `Layer "${String(layer.name)}" takes ${inbound.length === 0 ? 'no input' : `input from ${inbound.join(', ')}`}, not just from the layer before it: only models that are a single chain of layers (like a Sequential model) can be imported.`,
        this.origin([...path, 'inbound_nodes']),
      );
    }
  }

  private readInputLayer(config: Json, path: JsonPath): void {
    for (const key of ['batch_shape', 'batch_input_shape']) {
      const shape = asShape(config[key]);
      if (shape) {
        this.setInputShape(shape, [...path, key]);
        return;
      }
    }
    const shape = asShape(config.input_shape) ?? asShape(config.shape);
    if (shape) this.setInputShape([null, ...shape], [...path, config.input_shape !== undefined ? 'input_shape' : 'shape']);
  }

  /** Keras 2 puts `batch_input_shape` on the first layer; Keras 3 a `build_config`; an Embedding may say `input_length`. */
  private readFirstLayerShape(layer: Json, config: Json, path: JsonPath): void {
    const batchInputShape = asShape(config.batch_input_shape);
    if (batchInputShape) return this.setInputShape(batchInputShape, [...path, 'config', 'batch_input_shape']);
    const built = asShape(asObject(layer.build_config)?.input_shape);
    if (built) return this.setInputShape(built, [...path, 'build_config', 'input_shape']);
    if (layer.class_name === 'Embedding' && typeof config.input_length === 'number') {
      this.setInputShape([null, config.input_length], [...path, 'config', 'input_length']);
    }
  }

  private readModelInputShape(model: Json, path: JsonPath): void {
    const built = asShape(asObject(model.config)?.build_input_shape) ?? asShape(asObject(model.build_config)?.input_shape);
    if (built) this.setInputShape(built, [...path, 'config', 'build_input_shape']);
  }

  private setInputShape(shape: (number | null)[], path: JsonPath): void {
    this.inputShape ??= { shape, origin: this.origin(path) };
  }

  /** `config` of a `{class_name, config}` object at `configPath`; the object itself sits at `objectPath`. */
  private object(className: string, config: Json, configPath: JsonPath, objectPath: JsonPath = configPath): KerasObject {
    const values: Record<string, KerasValue> = {};
    const origins: Record<string, Origin> = {};
    for (const [key, value] of Object.entries(config)) {
      values[key] = this.value(value, [...configPath, key]);
      origins[key] = this.origin([...configPath, key]);
    }
    return { kind: 'object', className, config: values, origin: this.origin(objectPath), origins };
  }

  private value(value: unknown, path: JsonPath): KerasValue {
    if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
    if (Array.isArray(value)) return value.map((item, index) => this.value(item, [...path, index]));
    const object = value as Json;
    if (typeof object.class_name === 'string') {
      // Keras 3 writes a built-in function (a loss by name) as {"class_name": "function", "config": "<name>"}.
      if (typeof object.config === 'string') return object.config;
      return this.object(object.class_name, asObject(object.config) ?? {}, [...path, 'config'], path);
    }
    const entries: Record<string, KerasValue> = {};
    for (const [key, entry] of Object.entries(object)) entries[key] = this.value(entry, [...path, key]);
    return { kind: 'mapping', entries };
  }

  private origin(path: JsonPath): Origin {
    const { line, column } = this.document.locate(path);
    return { where: formatJsonPath(path), line, column };
  }

  private issue(severity: ImportIssue['severity'], message: string, path: JsonPath): void {
    this.issues.push({ severity, message, origin: this.origin(path) });
  }
}

function asObject(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function asShape(value: unknown): (number | null)[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.every((dimension) => dimension === null || typeof dimension === 'number') ? (value as (number | null)[]) : undefined;
}
