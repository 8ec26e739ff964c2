/**
 * The representation map (the Embedding Projector's PCA view, per epoch): the final hidden state
 * of the last recurrent layer for a fixed, seeded sample of validation sequences, projected on its
 * two principal axes, coloured by label or target. The sample (texts and colours) is sent once.
 */
import * as tf from '@tensorflow/tfjs';
import { exampleText } from '../data/exampleText';
import type { Encoder } from '../data/preprocessing';
import type { PreparedData, Split } from '../data/types';
import type { RepresentationColour, RepresentationEvent, RepresentationSample } from '../protocol';
import { walk, type RecurrentSite } from './network';
import { pca2 } from './pca';
import { classLabel } from './predictionSummary';
import { round4, significant } from './rounding';
import { gatherRows, sampleRows, viewSplit } from './samples';
import { tidyValues } from './tidyValues';

/** Sequences per forward pass: bounds memory on long sequences (IMDB: 200 steps x 128 features). */
const CHUNK = 64;
/** Next-token models colour by the sample's most frequent next tokens, the rest as "other". */
const TOKEN_COLOURS = 8;

export interface RepresentationMap {
  /** The event for the model's current weights; the first one carries the sample. */
  project(model: tf.LayersModel, epoch: number): RepresentationEvent | undefined;
}

export function createRepresentationMap(
  sites: readonly RecurrentSite[],
  data: PreparedData,
  encoder: Encoder,
  options: { samples: number; seed: number },
): RepresentationMap {
  const split = viewSplit(data);
  const position = sites.length - 1;
  if (position < 0 || split.count < 3 || options.samples < 3) return { project: () => undefined };
  const rows = sampleRows(split, options.samples, options.seed, 'representation');
  const sample: RepresentationSample = { indices: Array.from(rows), texts: sampleTexts(split, rows, data), colour: sampleColour(split, rows, encoder) };
  const site = sites[position];
  let previous: number[] | undefined;
  let sampleSent = false;
  return {
    project(model, epoch) {
      const finals = finalStates(model, sites, position, split, rows);
      const width = finals.length / rows.length;
      const { points, explained } = pca2(finals, rows.length, width, previous);
      previous = points;
      const event: RepresentationEvent = {
        type: 'representation',
        epoch,
        layer: site.name,
        method: 'PCA',
        explained: [round4(explained[0]), round4(explained[1])],
        points: points.map(significant),
        ...(sampleSent ? {} : { sample }),
      };
      sampleSent = true;
      return event;
    },
  };
}

/** `[n, d]` row-major: each sampled sequence's last state, directions side by side. */
function finalStates(model: tf.LayersModel, sites: readonly RecurrentSite[], position: number, split: Split, rows: Int32Array): Float32Array {
  const chunks: Float32Array[] = [];
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.subarray(start, start + CHUNK);
    chunks.push(
      tidyValues(() => {
        const x = tf.tensor(gatherRows(split.x, split.xShape, chunk), [chunk.length, ...split.xShape.slice(1)], split.x instanceof Int32Array ? 'int32' : 'float32');
        let lasts: tf.Tensor[] = [];
        walk(model, sites, x, { recompute: new Set([position]), stopAfterSite: position, onSite: (recording) => (lasts = recording.directions.map((d) => d.last)) });
        return (lasts.length === 1 ? lasts[0] : tf.concat(lasts, 1)).dataSync() as Float32Array;
      }),
    );
  }
  const out = new Float32Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** What a hover shows: the tokens without padding, or the first values of a series. */
function sampleTexts(split: Split, rows: Int32Array, data: PreparedData): string[] {
  return Array.from(rows, (row) => exampleText(split, row, data));
}

function sampleColour(split: Split, rows: Int32Array, encoder: Encoder): RepresentationColour {
  const perRow = split.yShape.slice(1).reduce((a, b) => a * b, 1);
  const targets = Array.from(rows, (row) => split.y.subarray(row * perRow, (row + 1) * perRow));
  const { task } = encoder.state;
  switch (task) {
    case 'binary':
    case 'multiclass': {
      const ids = targets.map((target) => Math.round(target[0]));
      const count = Math.max(task === 'binary' ? 2 : 0, encoder.state.classes?.names.length ?? 0, ...ids.map((id) => id + 1));
      return { kind: 'class', classes: Array.from({ length: count }, (_, id) => classLabel(encoder.className(id))), of: ids };
    }
    case 'next-token': {
      // The token that follows each sequence: its last target.
      const last = targets.map((target) => target[target.length - 1]);
      const frequency = new Map<number, number>();
      for (const id of last) frequency.set(id, (frequency.get(id) ?? 0) + 1);
      const top = [...frequency].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, TOKEN_COLOURS).map(([id]) => id);
      const vocabulary = encoder.state.tokenizer?.vocabulary ?? [];
      const classes = top.map((id) => `next “${vocabulary[id] ?? id}”`);
      if (frequency.size > top.length) classes.push('other');
      return { kind: 'class', classes, of: last.map((id) => (top.includes(id) ? top.indexOf(id) : top.length)) };
    }
    case 'regression':
    case 'forecast':
      return { kind: 'value', name: 'target', values: encoder.toDataUnits(targets.map((target) => target[0])).map(significant) };
  }
}
