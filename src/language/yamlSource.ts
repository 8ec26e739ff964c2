/**
 * A parsed spec file that remembers where every key and value came from, so diagnostics, quick
 * fixes, hovers and completions can all point at exact LSP ranges.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Pair } from 'yaml';
import type { SourcePosition, SourceRange, TextEdit } from './types';

export type KeyPath = (string | number)[];

/** A location in the document: the value node, and the key node when the value sits in a mapping. */
export interface Located {
  key?: Node;
  value?: Node;
}

/** A document that parses but cannot become data, e.g. an alias to an anchor defined after it. */
export interface ConversionError {
  message: string;
  range: SourceRange;
}

export class SpecSource {
  readonly doc: Document.Parsed;
  /** The document as plain data (what the schema validates); `undefined` for an empty file. */
  readonly data: unknown;
  readonly conversionError?: ConversionError;
  private readonly lines: LineCounter;

  constructor(readonly text: string) {
    this.lines = new LineCounter();
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
    try {
      this.data = this.doc.toJS({ maxAliasCount: 100 }) ?? undefined;
    } catch (error) {
      this.data = undefined;
      this.conversionError = { message: (error as Error).message, range: this.firstAliasRange() };
    }
  }

  /** Conversion only fails on aliases, so point at the first one. */
  private firstAliasRange(): SourceRange {
    let range: SourceRange = this.range(0, 0);
    visit(this.doc, {
      Alias: (_key, node) => {
        if (isAlias(node) && node.range) range = this.nodeRange(node);
        return visit.BREAK;
      },
    });
    return range;
  }

  position(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line: line - 1, character: col - 1 };
  }

  range(start: number, end: number): SourceRange {
    return { start: this.position(start), end: this.position(end) };
  }

  /** The node's own text, without the comments and blank lines that may follow it. */
  nodeRange(node: Node): SourceRange {
    const [start, valueEnd] = node.range ?? [0, 0, 0];
    return this.range(start, valueEnd);
  }

  /** Where a key path leads: the deepest existing key/value for that path, or nothing at all. */
  locate(path: KeyPath): Located | undefined {
    let current: unknown = this.doc.contents;
    let found: Located = { value: current as Node };
    for (const segment of path) {
      if (isMap(current)) {
        const pair = current.items.find((item): item is Pair<Node, Node> => isScalar(item.key) && item.key.value === segment);
        if (!pair) return undefined;
        current = pair.value;
        found = { key: pair.key ?? undefined, value: (pair.value ?? undefined) as Node | undefined };
      } else if (isSeq(current) && typeof segment === 'number') {
        current = current.items[segment];
        if (current === undefined) return undefined;
        found = { value: current as Node };
      } else {
        return undefined;
      }
    }
    return found;
  }

  /**
   * The range to underline for `path`: its key (`prefer: 'key'`) or value, falling back to the
   * nearest ancestor that exists, and finally to the document's first line.
   */
  rangeOf(path: KeyPath, prefer: 'key' | 'value' = 'value'): SourceRange {
    for (let length = path.length; length >= 0; length--) {
      const located = this.locate(path.slice(0, length));
      if (!located) continue;
      const node = (prefer === 'key' || length < path.length ? located.key : located.value) ?? located.value ?? located.key;
      if (node?.range) return this.nodeRange(node);
    }
    return this.range(0, /^[^\r\n]*/.exec(this.text)![0].length);
  }

  /** Where a list item such as a layer is declared: from its first key to the end of its last value. */
  itemRange(path: KeyPath): SourceRange | undefined {
    const node = this.locate(path)?.value;
    return node?.range ? this.nodeRange(node) : undefined;
  }

  /**
   * An edit that makes `key: value` hold in the mapping at `mapPath`: replaces the value when the
   * key exists, otherwise appends a pair in the mapping's own style (block or `{flow}`).
   */
  setKey(mapPath: KeyPath, key: string, valueText: string): TextEdit | undefined {
    const map = this.locate(mapPath)?.value;
    if (!isMap(map) || !map.range) return undefined;
    const existing = map.items.find((item) => isScalar(item.key) && item.key.value === key);
    if (existing && isScalar(existing.value) && existing.value.range) {
      return { range: this.nodeRange(existing.value), newText: valueText };
    }
    if (map.flow) {
      const closing = this.text.lastIndexOf('}', map.range[1]);
      const separator = map.items.length > 0 ? ', ' : '';
      return { range: this.range(closing, closing), newText: `${separator}${key}: ${valueText}` };
    }
    const last = map.items[map.items.length - 1];
    const firstKey = map.items[0]?.key as Node | undefined;
    if (!isPair(last) || !firstKey?.range) return undefined;
    const end = ((last.value as Node | null)?.range ?? (last.key as Node).range ?? [0, 0])[1];
    const indent = ' '.repeat(this.position(firstKey.range[0]).character);
    return { range: this.range(end, end), newText: `\n${indent}${key}: ${valueText}` };
  }
}

/** An edit that deletes item `index` of the list at `listPath`, with its separator or its line. */
export function removeListItem(source: SpecSource, listPath: KeyPath, index: number): TextEdit | undefined {
  const list = source.locate(listPath)?.value;
  if (!isSeq(list)) return undefined;
  const items = list.items as Node[];
  const item = items[index]?.range;
  if (!item) return undefined;
  if (list.flow) {
    const previous = items[index - 1]?.range;
    const next = items[index + 1]?.range;
    if (previous) return { range: source.range(previous[1], item[1]), newText: '' };
    if (next) return { range: source.range(item[0], next[0]), newText: '' };
    return { range: source.range(item[0], item[1]), newText: '' };
  }
  const lineStart = source.text.lastIndexOf('\n', item[0]) + 1;
  const lineEnd = source.text.indexOf('\n', item[1]);
  return { range: source.range(lineStart, lineEnd < 0 ? source.text.length : lineEnd + 1), newText: '' };
}

/** The `type` of the layer mapping at `path` in raw data, when it is a string. */
export function layerTypeIn(data: unknown, path: KeyPath): string | undefined {
  let current: unknown = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  if (current === null || typeof current !== 'object') return undefined;
  const type = (current as Record<string, unknown>).type;
  return typeof type === 'string' ? type : undefined;
}
