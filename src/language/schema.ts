/**
 * Typed access to seqlab.schema.json, the single source of the spec's structure and documentation:
 * the validator, hovers, completions and docs/spec-reference.md all read it from here.
 */
import schemaJson from './seqlab.schema.json';
import type { KeyPath } from './yamlSource';

/** The subset of draft-07 JSON Schema that seqlab.schema.json uses. */
export interface JsonSchema {
  $ref?: string;
  title?: string;
  description?: string;
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  enum?: (string | number)[];
  const?: string;
  default?: unknown;
  examples?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  if?: JsonSchema;
  then?: JsonSchema;
  definitions?: Record<string, JsonSchema>;
}

// JSON imports widen literals (`"object"` becomes string), so the narrower type is asserted once here.
export const SPEC_SCHEMA: JsonSchema = schemaJson as unknown as JsonSchema;

/** Follows a local `#/definitions/...` reference. */
export function deref(schema: JsonSchema): JsonSchema {
  let current = schema;
  while (current.$ref) {
    const name = current.$ref.replace('#/definitions/', '');
    const target = SPEC_SCHEMA.definitions?.[name];
    if (!target) throw new Error(`seqlab.schema.json: unresolved reference ${current.$ref}`);
    current = target;
  }
  return current;
}

/** The `then` branch an `if: {properties: {type: {const}}}` dispatch picks for a layer `type`. */
export function layerBranch(schema: JsonSchema, type: string | undefined): JsonSchema | undefined {
  const branch = schema.allOf?.find((part) => part.if?.properties?.type?.const === type);
  return branch?.then ? deref(branch.then) : undefined;
}

/** Layer kinds a dispatching schema accepts (`model` items, `bidirectional.layer`). */
export function layerKinds(schema: JsonSchema): string[] {
  return (schema.allOf ?? []).flatMap((part) => part.if?.properties?.type?.const ?? []);
}

/**
 * The schema that describes the value at `path`. `typeAt` answers the `type` of the layer mapping
 * at a path, which picks the branch of a layer (or of the layer a wrapper holds).
 */
export function schemaAt(path: KeyPath, typeAt: (layerPath: KeyPath) => string | undefined): JsonSchema | undefined {
  let current: JsonSchema | undefined = SPEC_SCHEMA;
  for (let index = 0; index < path.length && current; index++) {
    const child = childSchema(pickLayerBranch(current, path.slice(0, index), typeAt), path[index]!);
    current = child ? deref(child) : undefined;
  }
  return current && pickLayerBranch(current, path, typeAt);
}

function pickLayerBranch(schema: JsonSchema, path: KeyPath, typeAt: (layerPath: KeyPath) => string | undefined): JsonSchema {
  return schema.allOf ? (layerBranch(schema, typeAt(path)) ?? schema) : schema;
}

function childSchema(schema: JsonSchema, segment: string | number): JsonSchema | undefined {
  if (typeof segment === 'number') return schema.items;
  if (schema.properties?.[segment]) return schema.properties[segment];
  // `optimizer`, `validation` and probe items: the mapping branch of the anyOf that has the key.
  const fromAnyOf = schema.anyOf?.find((branch) => branch.properties?.[segment])?.properties?.[segment];
  if (fromAnyOf) return fromAnyOf;
  // A layer whose `type` is unknown: the first layer kind that has the key.
  return (schema.allOf ?? []).map((part) => part.then && deref(part.then)).find((branch) => branch?.properties?.[segment])?.properties?.[segment];
}

/** Every property name allowed in a mapping described by `schema` (all anyOf branches included). */
export function propertyNames(schema: JsonSchema): string[] {
  const resolved = deref(schema);
  const names = new Set(Object.keys(resolved.properties ?? {}));
  for (const branch of resolved.anyOf ?? []) for (const name of Object.keys(branch.properties ?? {})) names.add(name);
  return [...names];
}

/** Human wording of a schema's bounds, e.g. `at least 0 and below 1`. */
export function describeBounds(schema: JsonSchema): string | undefined {
  const parts: string[] = [];
  if (schema.minimum !== undefined) parts.push(`at least ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) parts.push(`above ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) parts.push(`at most ${schema.maximum}`);
  if (schema.exclusiveMaximum !== undefined) parts.push(`below ${schema.exclusiveMaximum}`);
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

/** `integer`, `one of a, b`, `boolean`... for hovers and messages. */
export function describeType(schema: JsonSchema): string {
  const resolved = deref(schema);
  if (resolved.enum) return `one of ${resolved.enum.map((value) => `\`${value}\``).join(', ')}`;
  if (resolved.const !== undefined) return `\`${resolved.const}\``;
  if (resolved.anyOf) return [...new Set(resolved.anyOf.map(describeType))].join(' or ');
  switch (resolved.type) {
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'integer':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'boolean':
      return '`true` or `false`';
    case 'string':
      return 'a string';
    default:
      return 'a value';
  }
}
