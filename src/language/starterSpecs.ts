/**
 * New specs: the blank starter, and any spec text given the user's own `name`. Pure: unit tested.
 */
import { isMap, isScalar, parseDocument, stringify } from 'yaml';

/** A small spec that checks clean and trains on built-in data, with pointers to make it one's own. */
export const BLANK_STARTER = `# A starting point: an LSTM that learns the sentiment of generated review sentences.
# To use your own data, point data.source at a .csv, .tsv, .jsonl or .txt file beside this spec
# and set data.columns (hover any key for its documentation; Ctrl+Space completes keys and layers).
name: my-model
data:
  source: builtin:sentiment
  task: binary
model:
  - type: embedding
    output_dim: 32
  - type: lstm
    units: 32
  - type: dense
    units: 1
    activation: sigmoid
train:
  epochs: 3
  batch_size: 32
inspect:
  probes:
    - text: the film was not good
`;

/**
 * The spec text with `name:` set to `name`, everything else (comments, layout) as written; the
 * key is added after the leading comments when the spec has none. `name` is written as YAML needs
 * it (quoted only when it must be).
 */
export function withName(text: string, name: string): string {
  const value = stringify(name).trimEnd();
  const doc = parseDocument(text);
  const pair = isMap(doc.contents) ? doc.contents.items.find((item) => isScalar(item.key) && item.key.value === 'name') : undefined;
  const range = isScalar(pair?.value) ? pair.value.range : undefined;
  if (range) return text.slice(0, range[0]) + value + text.slice(range[1]);
  const lines = text.split('\n');
  const firstContent = lines.findIndex((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  const at = firstContent === -1 ? lines.length : firstContent;
  return [...lines.slice(0, at), `name: ${value}`, ...lines.slice(at)].join('\n');
}
