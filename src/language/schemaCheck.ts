/**
 * Validates the parsed YAML against seqlab.schema.json and turns each ajv error into a diagnostic
 * on the exact key or value at fault, with a sentence that says how to fix it.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { capitalize } from './format';
import { printableValue } from './printable';
import { describeBounds, describeType, propertyNames, SPEC_SCHEMA, type JsonSchema } from './schema';
import { closest } from './suggest';
import type { SpecDiagnostic } from './types';
import type { KeyPath, SpecSource } from './yamlSource';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  // `strictTypes: false`: the layer dispatch (`if: {properties: {type: ...}}`) omits `type: object` on purpose.
  compiled ??= new Ajv({ allErrors: true, verbose: true, strictTypes: false }).compile(SPEC_SCHEMA);
  return compiled;
}

export function schemaDiagnostics(source: SpecSource, data: unknown): SpecDiagnostic[] {
  const validate = validator();
  if (validate(data)) return [];
  const errors = oneErrorPerFault(collapseAnyOf((validate.errors ?? []).filter((error) => error.keyword !== 'if')));
  return errors.map((error) => toDiagnostic(source, data, error));
}

/**
 * One fault, one diagnostic. A value of the wrong type fails every schema that applies to it (an
 * empty layer fails the `type: object` of all eight layer kinds the `if`/`then` dispatch tries,
 * an empty `bidirectional.layer` the four recurrent ones): the most general of those type errors
 * explains the node, and its other errors and anything below it add nothing. Errors that say the
 * same thing about the same node (one per schema that applies) collapse too.
 */
function oneErrorPerFault(errors: ErrorObject[]): ErrorObject[] {
  const wrongType = new Map<string, ErrorObject>();
  for (const error of errors) {
    if (error.keyword !== 'type') continue;
    const known = wrongType.get(error.instancePath);
    if (!known || error.schemaPath.length < known.schemaPath.length) wrongType.set(error.instancePath, error);
  }
  const explained = (error: ErrorObject) =>
    [...wrongType.keys()].some((path) => error.instancePath.startsWith(`${path}/`)) ||
    (wrongType.has(error.instancePath) && wrongType.get(error.instancePath) !== error);
  const seen = new Set<string>();
  return errors.filter((error) => {
    if (explained(error)) return false;
    const key = `${error.instancePath}\0${error.keyword}\0${JSON.stringify(error.params)}`;
    return !seen.has(key) && seen.add(key);
  });
}

/**
 * An `anyOf` (optimizer, validation, probes) fails with one error per branch plus its own. Keep
 * only the errors of the branch the user evidently meant, or the `anyOf` error itself when none fits.
 */
function collapseAnyOf(errors: ErrorObject[]): ErrorObject[] {
  const anyOfErrors = errors.filter((error) => error.keyword === 'anyOf');
  const under = (error: ErrorObject, anyOf: ErrorObject, prefix: string) =>
    error.schemaPath.startsWith(prefix) && (error.instancePath === anyOf.instancePath || error.instancePath.startsWith(`${anyOf.instancePath}/`));
  const kept = errors.filter((error) => error.keyword !== 'anyOf' && !anyOfErrors.some((anyOf) => under(error, anyOf, `${anyOf.schemaPath}/`)));
  for (const anyOf of anyOfErrors) {
    const index = intendedBranch(anyOf.schema as JsonSchema[], anyOf.data);
    const branchErrors = errors.filter((error) => error !== anyOf && under(error, anyOf, `${anyOf.schemaPath}/${index}/`));
    if (index >= 0 && branchErrors.length > 0) kept.push(...branchErrors);
    else kept.push(...(unknownKeysOfAnyOf(anyOf) ?? [anyOf]));
  }
  return kept;
}

/** A mapping that fits no branch because of a misspelt key (`{texts: ...}`): report that key. */
function unknownKeysOfAnyOf(anyOf: ErrorObject): ErrorObject[] | undefined {
  const value: unknown = anyOf.data;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const allowed = propertyNames(anyOf.parentSchema as JsonSchema);
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length === 0) return undefined;
  return unknown.map((key) => ({ ...anyOf, keyword: 'additionalProperties', params: { additionalProperty: key } }));
}

/** The branch whose type matches the value and, for mappings, whose keys it uses; -1 when none. */
function intendedBranch(branches: JsonSchema[], value: unknown): number {
  const candidates = branches.map((branch, index) => ({ branch, index })).filter(({ branch }) => typeMatches(branch, value));
  if (candidates.length <= 1) return candidates[0]?.index ?? -1;
  const keys = value !== null && typeof value === 'object' ? Object.keys(value) : [];
  const sharing = candidates.find(({ branch }) => keys.some((key) => branch.properties?.[key]));
  return sharing?.index ?? -1;
}

function typeMatches(schema: JsonSchema, value: unknown): boolean {
  switch (schema.type) {
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'number':
    case 'integer':
      return typeof value === 'number';
    default:
      return typeof value === schema.type;
  }
}

function toDiagnostic(source: SpecSource, data: unknown, error: ErrorObject): SpecDiagnostic {
  const path = pointerToPath(error.instancePath);
  const schema = (error.parentSchema ?? {}) as JsonSchema;
  const label = capitalize(describePath(path, data));
  const at = (message: string, prefer: 'key' | 'value' = 'value', where: KeyPath = path): SpecDiagnostic => ({
    severity: 'error',
    code: 'schema',
    message,
    range: source.rangeOf(where, prefer),
  });
  switch (error.keyword) {
    case 'additionalProperties':
      return unknownKey(source, data, path, (error.params as { additionalProperty: string }).additionalProperty, schema);
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      const property = schema.properties?.[missing];
      const addition = property?.type === 'array' ? `add a \`${missing}:\` list` : `add \`${missing}: ${exampleOf(property)}\``;
      // A list item (a layer, a probe) has no key of its own: point at its `type`, or its first line.
      const anchor = typeof path[path.length - 1] === 'number' ? [...path, 'type'] : path;
      return at(`${label} is missing \`${missing}\`: ${addition}.`, 'key', anchor);
    }
    case 'type':
      // `- ` typed under `model:`, the first step before completion: say what a layer starts with.
      if (error.data === null && path.length === 2 && path[0] === 'model') {
        return at(`${label} is empty: give it a \`type\`, e.g. \`- type: lstm\` with \`units: 32\`.`);
      }
      return at(`${label} must be ${describeType(schema)}, not ${describeValue(error.data)}.${exampleHint(path, schema)}`);
    case 'enum':
    case 'const':
      return badChoice(source, path, label, error.data, schema);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at(`${label} must be ${describeBounds(schema)}; it is ${JSON.stringify(error.data)}.`);
    case 'minItems':
      if (path.length === 1 && path[0] === 'model') return at('`model` needs at least one layer, e.g. `- type: lstm` with `units: 32`.', 'key');
      return at(`${label} needs at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}.`, 'key');
    case 'maxItems':
      return at(`${label} may have at most ${schema.maxItems} items; remove some.`, 'key');
    case 'uniqueItems':
      return at(`${label} lists the same item twice; remove the duplicate.`, 'key');
    case 'minLength':
      return at(`${label} must not be empty.`);
    case 'anyOf':
      return at(`${label} must be ${describeType(schema)}, not ${describeValue(error.data)}; for example ${(schema.examples ?? []).map((example) => `\`${flowYaml(example)}\``).join(' or ')}.`);
    default:
      return at(`${label} ${error.message ?? 'is invalid'}.`);
  }
}

function unknownKey(source: SpecSource, data: unknown, mapPath: KeyPath, key: string, schema: JsonSchema): SpecDiagnostic {
  const allowed = propertyNames(schema);
  const suggestion = closest(key, allowed);
  const where = mapPath.length === 0 ? 'at the top level' : `in ${describePath(mapPath, data)}`;
  const keyRange = source.rangeOf([...mapPath, key], 'key');
  const hint = suggestion ? `Did you mean \`${suggestion}\`?` : `Allowed keys: ${allowed.map((name) => `\`${name}\``).join(', ')}.`;
  return {
    severity: 'error',
    code: 'unknown-key',
    message: `Unknown key \`${printableValue(key)}\` ${where}. ${hint}`,
    range: keyRange,
    ...(suggestion ? { fixes: [{ title: `Rename \`${key}\` to \`${suggestion}\``, edits: [{ range: keyRange, newText: suggestion }] }] } : {}),
  };
}

function badChoice(source: SpecSource, path: KeyPath, label: string, value: unknown, schema: JsonSchema): SpecDiagnostic {
  const choices = (schema.enum ?? (schema.const !== undefined ? [schema.const] : [])).map(String);
  const suggestion = typeof value === 'string' ? closest(value, choices) : undefined;
  const range = source.rangeOf(path, 'value');
  const hint = suggestion ? ` Did you mean \`${suggestion}\`?` : '';
  const options = choices.length === 1 ? `\`${choices[0]}\`` : `one of ${choices.map((choice) => `\`${choice}\``).join(', ')}`;
  return {
    severity: 'error',
    code: 'schema',
    message: `${label} must be ${options}, not ${describeValue(value)}.${hint}`,
    range,
    ...(suggestion ? { fixes: [{ title: `Change to \`${suggestion}\``, edits: [{ range, newText: suggestion }] }] } : {}),
  };
}

function pointerToPath(pointer: string): KeyPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/**
 * How messages name a place in the spec: `train.epochs`, or `units` of layer 2 (`lstm`) so that
 * a layer reads as the user counts it, one-based, with its kind.
 */
function describePath(path: KeyPath, data: unknown): string {
  const layerIndex = path[0] === 'model' && typeof path[1] === 'number' ? path[1] : undefined;
  if (path.length === 0) return 'The spec';
  if (layerIndex === undefined) return `\`${formatPath(path)}\``;
  const layer = (data as { model?: unknown[] }).model?.[layerIndex] as { type?: unknown } | undefined;
  const kind = typeof layer?.type === 'string' ? ` (\`${layer.type}\`)` : '';
  const rest = path.slice(2);
  return rest.length === 0 ? `layer ${layerIndex + 1}${kind}` : `\`${formatPath(rest)}\` of layer ${layerIndex + 1}${kind}`;
}

function formatPath(path: KeyPath): string {
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
}

/**
 * A string that would read as a number, boolean or null without quotes was quoted in the file:
 * show the quotes (`"64"`), so the error and the fix (`units: 64`) read alike. Long values are cut.
 */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'string') return `\`${READS_AS_SCALAR.test(value.trim()) ? JSON.stringify(value) : printableValue(value)}\``;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `\`${String(value)}\``;
}

const READS_AS_SCALAR = /^(?:[-+]?(?:\d[\d_]*\.?\d*|\.\d+)(?:e[-+]?\d+)?|true|false|null|~)$/i;

function exampleOf(schema: JsonSchema | undefined): string {
  if (!schema) return '...';
  const example = schema.examples?.[0] ?? schema.default;
  if (example !== undefined) return flowYaml(example);
  return schema.type === 'object' ? '{...}' : '...';
}

function exampleHint(path: KeyPath, schema: JsonSchema): string {
  const example = schema.examples?.[0];
  const key = path[path.length - 1];
  return example !== undefined && typeof key === 'string' ? ` For example \`${key}: ${flowYaml(example)}\`.` : '';
}

/** A value written as one line of YAML: `{split: 0.2}`, `adam`. */
function flowYaml(value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return `{${Object.entries(value).map(([key, inner]) => `${key}: ${flowYaml(inner)}`).join(', ')}}`;
  }
  return typeof value === 'string' ? (/[:{}[\],#]|^\s|\s$/.test(value) ? JSON.stringify(value) : value) : String(value);
}
