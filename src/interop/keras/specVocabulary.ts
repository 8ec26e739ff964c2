/**
 * What the spec language accepts, read from seqlab.schema.json (the single source of the spec's
 * structure), so that the Keras import and export follow the schema as it grows instead of
 * keeping their own copies of its lists.
 */
import { deref, SPEC_SCHEMA, type JsonSchema } from '../../language/schema';

function definition(name: string): JsonSchema | undefined {
  const schema = SPEC_SCHEMA.definitions?.[name];
  return schema ? deref(schema) : undefined;
}

/** Whether a layer kind (`lstm`, `gru`...) has the field `key` (e.g. `gru` and `reset_after`). */
export function layerHasField(layerType: string, key: string): boolean {
  return definition(layerType)?.properties?.[key] !== undefined;
}

/** Activation names a layer kind accepts for `key` (`activation`, `recurrent_activation`). */
export function activationsOf(layerType: string, key = 'activation'): readonly string[] {
  const field = definition(layerType)?.properties?.[key];
  return (field ? deref(field).enum : undefined)?.map(String) ?? [];
}

/** Whether `train` has the field `key` (`clipnorm`, `early_stopping`...). */
export function trainHasField(key: string): boolean {
  return SPEC_SCHEMA.properties?.train?.properties?.[key] !== undefined;
}

/** The values the schema allows for `train.<key>` (a string enum, or the enum of a list's items). */
export function trainChoices(key: string): readonly string[] {
  const field = SPEC_SCHEMA.properties?.train?.properties?.[key];
  if (!field) return [];
  const resolved = deref(field);
  const choices = resolved.enum ?? resolved.items?.enum ?? resolved.anyOf?.find((branch) => branch.enum)?.enum;
  return choices?.map(String) ?? [];
}

/** The fields of a mapping under `train` (e.g. `early_stopping`'s `monitor`, `patience`...). */
export function trainFieldKeys(key: string): readonly string[] {
  const field = SPEC_SCHEMA.properties?.train?.properties?.[key];
  if (!field) return [];
  const resolved = deref(field);
  const mapping = resolved.properties ? resolved : resolved.anyOf?.find((branch) => branch.properties);
  return Object.keys(mapping?.properties ?? {});
}

/** Whether `data` has the field `key`, or `data.<key>.<child>` when `child` is given. */
export function dataHasField(key: string, child?: string): boolean {
  const field = SPEC_SCHEMA.properties?.data?.properties?.[key];
  if (!field) return false;
  if (child === undefined) return true;
  return deref(field).properties?.[child] !== undefined;
}
