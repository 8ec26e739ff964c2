/**
 * Writes an imported spec as YAML a person would write: sections in the usual order, only the
 * settings that differ from the spec's defaults, a comment saying where each value came from, and
 * commented-out placeholders for what the Keras model does not say (where the data is...).
 */
import { stringify } from 'yaml';
import { resolveLayer } from '../../language/resolve';
import type { SpecLayerYaml } from './layerMapping';

export type YamlScalar = string | number | boolean;
export type YamlValue = YamlScalar | YamlScalar[];

export interface Entry {
  value: YamlValue;
  /** Why this value: where it came from, or what to put there. */
  comment?: string;
  /** Written commented out: a suggestion, not a setting. */
  placeholder?: boolean;
}

/**
 * An ordered set of settings under one section, keyed by dotted path (`tokenizer.vocab_size`);
 * setting a key again replaces its value in place.
 */
export class SectionEntries {
  private readonly entries = new Map<string, Entry>();

  /** A real setting; it replaces placeholders of the same key, of its parents and of its children. */
  set(path: string, value: YamlValue, comment?: string): void {
    for (const [other, entry] of this.entries) {
      if (entry.placeholder && other !== path && (path.startsWith(`${other}.`) || other.startsWith(`${path}.`))) this.entries.delete(other);
    }
    this.entries.set(path, { value, ...(comment ? { comment } : {}) });
  }

  /** A commented-out suggestion: never replaces a real setting; replaces an earlier suggestion it contradicts. */
  suggest(path: string, value: YamlValue, comment?: string): void {
    const related = (other: string) => other === path || path.startsWith(`${other}.`) || other.startsWith(`${path}.`);
    for (const [other, entry] of this.entries) {
      if (related(other) && !entry.placeholder) return;
    }
    for (const [other] of this.entries) if (related(other)) this.entries.delete(other);
    this.entries.set(path, { value, placeholder: true, ...(comment ? { comment } : {}) });
  }

  get(path: string): Entry | undefined {
    return this.entries.get(path);
  }

  /** The value when it is a real setting (not a placeholder). */
  value(path: string): YamlValue | undefined {
    const entry = this.entries.get(path);
    return entry && !entry.placeholder ? entry.value : undefined;
  }

  delete(path: string): void {
    this.entries.delete(path);
  }

  [Symbol.iterator](): IterableIterator<[string, Entry]> {
    return this.entries.entries();
  }
}

export interface WrittenLayer {
  layer?: SpecLayerYaml;
  /** For a layer that was left out: the comment line standing in its place. */
  omitted?: string;
  /** After `- type: ...`: the Keras layer it came from. */
  comment: string;
  notes: string[];
}

export interface SpecDocument {
  header: string[];
  name: string;
  data: SectionEntries;
  model: WrittenLayer[];
  train: SectionEntries;
}

const COMMENT_COLUMN = 34;

export function writeSpec(document: SpecDocument): string {
  const lines: string[] = [...document.header.map((line) => (line ? `# ${line}` : '#')), `name: ${scalar(document.name)}`];
  lines.push('data:', ...section(document.data, '  '));
  lines.push('model:');
  for (const entry of document.model) lines.push(...layerLines(entry));
  // A section of suggestions only is written as one commented-out block, uncommented in one go.
  const trainSuggestedOnly = [...document.train].every(([, entry]) => entry.placeholder);
  if (trainSuggestedOnly) {
    const entries = new SectionEntries();
    for (const [path, entry] of document.train) entries.set(path, entry.value, entry.comment);
    lines.push('# train:', ...section(entries, '  ').map((line) => `# ${line}`));
  } else {
    lines.push('train:', ...section(document.train, '  '));
  }
  return `${lines.join('\n')}\n`;
}

/** The entries, each group's together where its first entry was set, nested groups indented. */
function section(entries: SectionEntries, indent: string): string[] {
  const all = [...entries];
  const tops = [...new Set(all.map(([path]) => path.split('.')[0]!))];
  const lines: string[] = [];
  for (const top of tops) {
    const members = all.filter(([path]) => path === top || path.startsWith(`${top}.`));
    const grouped = members.filter(([path]) => path.includes('.'));
    if (grouped.length > 0) lines.push(`${indent}${grouped.every(([, entry]) => entry.placeholder) ? '# ' : ''}${top}:`);
    for (const [path, entry] of members) {
      const key = path.split('.').pop()!;
      const depth = path.split('.').length - 1;
      lines.push(withComment(`${indent}${'  '.repeat(depth)}${entry.placeholder ? '# ' : ''}${key}: ${formatValue(entry.value)}`, entry.comment));
    }
  }
  return lines;
}

function layerLines(entry: WrittenLayer): string[] {
  if (!entry.layer) return [withComment(`  # - ${entry.omitted ?? 'a layer'}`, entry.comment)];
  const fields = Object.entries(minimalLayer(entry.layer));
  const lines: string[] = [];
  fields.forEach(([key, value], index) => {
    const prefix = index === 0 ? '  - ' : '    ';
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      lines.push(`${prefix}${key}:`);
      for (const [innerKey, innerValue] of Object.entries(value as Record<string, unknown>)) {
        lines.push(`      ${innerKey}: ${formatValue(innerValue as YamlValue)}`);
      }
    } else {
      lines.push(withComment(`${prefix}${key}: ${formatValue(value as YamlValue)}`, index === 0 ? entry.comment : undefined));
    }
  });
  for (const note of entry.notes) lines.push(`    # ${note}`);
  return lines;
}

/**
 * The layer without the settings that equal the spec's defaults (as `resolveLayer` fills them in),
 * so an imported LSTM reads `{type: lstm, units: 64, dropout: 0.2}` like a hand-written one.
 */
export function minimalLayer(layer: SpecLayerYaml): Record<string, unknown> {
  const required: Record<string, unknown> = { type: layer.type };
  for (const key of ['units', 'output_dim', 'rate']) if (key in layer) required[key] = layer[key];
  if (layer.type === 'bidirectional' || layer.type === 'time_distributed') {
    required.layer = minimalLayer(layer.layer as SpecLayerYaml);
  }
  const defaults = (resolveLayer(required, undefined) ?? {}) as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(layer)) {
    if (key === 'layer') result.layer = required.layer;
    else if (key === 'type' || key in required || key === 'input_dim' || JSON.stringify(defaults[key]) !== JSON.stringify(value)) result[key] = value;
  }
  return result;
}

function withComment(text: string, comment: string | undefined): string {
  return comment ? `${text.padEnd(COMMENT_COLUMN - 1)} # ${comment}` : text;
}

function formatValue(value: YamlValue): string {
  return Array.isArray(value) ? `[${value.map(scalar).join(', ')}]` : scalar(value);
}

/** A YAML scalar, quoted only when YAML needs it (`'<OOV>'`, `'yes'`). */
function scalar(value: YamlScalar): string {
  return stringify(value).trimEnd();
}
