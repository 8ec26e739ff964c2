/**
 * Language intelligence for spec files, independent of any editor: which key is at an offset, its
 * documentation, and what may be typed there. Everything it knows comes from seqlab.schema.json.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { BUILTIN_GENERATORS } from '../data/builtinCatalog';
import { deref, describeBounds, describeType, layerBranch, layerKinds, propertyNames, schemaAt, SPEC_SCHEMA, type JsonSchema } from './schema';
import { layerTypeIn, SpecSource, type KeyPath } from './yamlSource';

export interface SpecCompletion {
  label: string;
  kind: 'key' | 'value' | 'layer';
  detail?: string;
  documentation?: string;
  /** Plain text, or a snippet with tab stops (`${1:64}`) for layers. */
  insertText?: string;
}

export function keyPathAt(text: string, offset: number): { path: KeyPath; onKey: boolean } | undefined {
  const contents = new SpecSource(text).doc.contents;
  return contents ? locateOffset(contents as Node, [], offset) : undefined;
}

function locateOffset(node: Node, path: KeyPath, offset: number): { path: KeyPath; onKey: boolean } | undefined {
  const within = (candidate: unknown): candidate is Node => {
    const range = (candidate as Node | null)?.range;
    return !!range && offset >= range[0] && offset <= range[1];
  };
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      if (within(pair.key)) return { path: [...path, key], onKey: true };
      if (within(pair.value)) return locateOffset(pair.value, [...path, key], offset) ?? { path: [...path, key], onKey: false };
    }
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      if (within(item)) return locateOffset(item, [...path, index], offset) ?? { path: [...path, index], onKey: false };
    }
  }
  return undefined;
}

/** Markdown for the key at `path`; `text` tells which kind a layer is, so its own fields are described. */
export function documentationFor(path: KeyPath, text?: string): string | undefined {
  const data = text === undefined ? undefined : new SpecSource(text).data;
  const schema = schemaAt(path, (layerPath) => layerTypeIn(data, layerPath));
  if (!schema) return undefined;
  const last = path[path.length - 1];
  const title = last === undefined ? SPEC_SCHEMA.title : typeof last === 'number' ? `item ${last + 1}` : last;
  return describe(title ?? '', schema);
}

function describe(title: string, schema: JsonSchema): string {
  const resolved = deref(schema);
  const bounds = describeBounds(resolved);
  const kind = resolved.allOf ? 'a layer mapping' : describeType(resolved);
  return `**${title}** · ${kind}${bounds ? `, ${bounds}` : ''}\n\n${resolved.description ?? ''}`.trim();
}

/** Keys, layer kinds and values that fit at `offset`. */
export function completionsAt(text: string, offset: number): SpecCompletion[] {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const prefix = text.slice(lineStart, offset);
  const lineEnd = text.indexOf('\n', offset) < 0 ? text.length : text.indexOf('\n', offset);
  // The line being typed rarely parses; blank it (keeping offsets) to read the structure around it.
  const source = new SpecSource(text.slice(0, lineStart) + ' '.repeat(lineEnd - lineStart) + text.slice(lineEnd));
  const data = source.data;
  const typeAt = (layerPath: KeyPath) => layerTypeIn(data, layerPath);

  const value = /^(\s*)(-\s+)?([\w-]+):\s+[^\s]*$/.exec(prefix);
  if (value) {
    const column = value[1]!.length + (value[2]?.length ?? 0);
    const parent = value[2] ? listItemPath(source, lineStart, value[1]!.length) : parentPath(source, lineStart, column);
    if (!parent) return [];
    return valueCompletions(parent, value[3]!, typeAt, column - value[1]!.length);
  }
  const key = /^(\s*)(-\s+)?[\w-]*$/.exec(prefix);
  if (!key) return [];
  const indent = key[1]!.length;
  if (key[2]) {
    const item = listItemPath(source, lineStart, indent);
    return item ? newItemCompletions(item, typeAt) : [];
  }
  const parent = parentPath(source, lineStart, indent);
  return parent ? keyCompletions(source, parent, typeAt) : [];
}

interface OutlineLine {
  offset: number;
  /** Column of the key (after `- ` for the first key of a list item). */
  keyColumn: number;
  /** Column of the `-` when the line starts a list item. */
  dashColumn?: number;
}

/** The non-blank, non-comment lines above `lineStart`, nearest first. */
function* linesAbove(text: string, lineStart: number): Generator<OutlineLine> {
  let end = lineStart - 1;
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end);
    end = start - 1;
    const match = /^(\s*)(-\s+)?(\S)/.exec(line);
    if (!match || match[3] === '#') continue;
    const indent = match[1]!.length;
    yield { offset: start + indent + (match[2]?.length ?? 0), keyColumn: indent + (match[2]?.length ?? 0), ...(match[2] ? { dashColumn: indent } : {}) };
  }
}

/** The mapping a key typed at `column` on the line at `lineStart` belongs to. */
function parentPath(source: SpecSource, lineStart: number, column: number): KeyPath | undefined {
  if (column === 0) return [];
  for (const line of linesAbove(source.text, lineStart)) {
    if (line.keyColumn === column) return keyPathAt(source.text, line.offset)?.path.slice(0, -1);
    if (line.keyColumn < column) return keyPathAt(source.text, line.offset)?.path;
  }
  return undefined;
}

/** The path of a new list item whose `-` is at `dashColumn` (index: one past the last sibling). */
function listItemPath(source: SpecSource, lineStart: number, dashColumn: number): KeyPath | undefined {
  for (const line of linesAbove(source.text, lineStart)) {
    if (line.dashColumn === dashColumn) {
      const sibling = keyPathAt(source.text, line.offset)?.path;
      const index = sibling ? lastIndexWhere(sibling, (segment) => typeof segment === 'number') : -1;
      return sibling && index >= 0 ? [...sibling.slice(0, index), (sibling[index] as number) + 1] : undefined;
    }
    if (line.keyColumn <= dashColumn) {
      const owner = keyPathAt(source.text, line.offset)?.path;
      return owner ? [...owner, 0] : undefined;
    }
  }
  return undefined;
}

function lastIndexWhere<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index--) if (predicate(items[index]!)) return index;
  return -1;
}

function keyCompletions(source: SpecSource, parent: KeyPath, typeAt: (path: KeyPath) => string | undefined): SpecCompletion[] {
  const schema = schemaAt(parent, typeAt);
  if (!schema) return [];
  const existing = source.locate(parent)?.value;
  const present = new Set(isMap(existing) ? existing.items.flatMap((pair) => (isScalar(pair.key) ? [String(pair.key.value)] : [])) : []);
  return propertyNames(schema)
    .filter((name) => !present.has(name))
    .map((name) => {
      const property = schemaAt([...parent, name], typeAt) ?? {};
      return { label: name, kind: 'key', detail: describeType(property), documentation: describe(name, property), insertText: `${name}: ` };
    });
}

/** On `- ` : a layer snippet in `model`, an enum value in a list of values, or the item's keys. */
function newItemCompletions(item: KeyPath, typeAt: (path: KeyPath) => string | undefined): SpecCompletion[] {
  const list = schemaAt(item.slice(0, -1), typeAt);
  const items = list?.items ? deref(list.items) : undefined;
  if (!items) return [];
  if (items.allOf) return layerCompletions(items, 'layer', '  ');
  if (items.enum) return enumCompletions(items);
  return propertyNames(items).map((name) => {
    const property = schemaAt([...item, name], typeAt) ?? {};
    return { label: name, kind: 'key', detail: describeType(property), documentation: describe(name, property), insertText: `${name}: ` };
  });
}

function valueCompletions(parent: KeyPath, key: string, typeAt: (path: KeyPath) => string | undefined, keyOffsetInLine: number): SpecCompletion[] {
  const container = schemaAt(parent, (path) => (path.length === parent.length ? undefined : typeAt(path)));
  if (key === 'type' && container?.allOf) return layerCompletions(container, 'value', ' '.repeat(keyOffsetInLine));
  if (parent.length === 1 && parent[0] === 'data' && key === 'source') {
    return [
      ...BUILTIN_GENERATORS.map((info): SpecCompletion => ({ label: `builtin:${info.name}`, kind: 'value', detail: `built-in, ${info.tasks.join('/')}`, documentation: info.description })),
      { label: 'imdb', kind: 'value', detail: 'Large Movie Review dataset', documentation: 'The IMDB reviews (25,000 train, 25,000 test), binary sentiment.' },
    ];
  }
  const schema = schemaAt([...parent, key], typeAt);
  return schema ? enumCompletions(schema) : [];
}

function enumCompletions(schema: JsonSchema): SpecCompletion[] {
  const resolved = deref(schema);
  const values = resolved.enum ?? (resolved.const !== undefined ? [resolved.const] : undefined) ?? resolved.anyOf?.flatMap((branch) => branch.enum ?? []) ?? (resolved.type === 'boolean' ? [true, false] : []);
  return values.map((value) => ({ label: String(value), kind: 'value', detail: describeType(resolved) }));
}

/** Each layer kind as a snippet with its required fields; `indent` aligns lines after the first. */
function layerCompletions(dispatch: JsonSchema, kind: 'layer' | 'value', indent: string): SpecCompletion[] {
  return layerKinds(dispatch).map((type) => {
    const branch = layerBranch(dispatch, type)!;
    const fields = (branch.required ?? []).filter((name) => name !== 'type');
    const lines = fields.map((name, index) => `\n${indent}${name}: ${snippetValue(branch.properties?.[name], index + 1)}`);
    const head = kind === 'layer' ? `type: ${type}` : type;
    return { label: type, kind, detail: `${type} layer`, documentation: branch.description ?? '', insertText: head + lines.join('') };
  });
}

function snippetValue(schema: JsonSchema | undefined, stop: number): string {
  const resolved = schema ? deref(schema) : {};
  if (resolved.allOf) return `{type: \${${stop}:lstm}, units: 32}`;
  if (resolved.type === 'object') return `{type: dense, units: \${${stop}:1}}`;
  const example = resolved.examples?.[0] ?? resolved.default ?? (resolved.type === 'number' ? 0.2 : 1);
  return `\${${stop}:${String(example)}}`;
}
