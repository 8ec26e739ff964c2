/**
 * A model's layers, walked one by one in inference mode with masks carried along, where each
 * recurrent layer ("site") may be replaced by its step-by-step recomputation (cells.ts). Works on
 * any chain of layers, from the trainer's live model or one loaded from a run folder, because it
 * reads only layer class names, configs and `getWeights()`.
 */
import * as tf from '@tensorflow/tfjs';
import type { TfActivation } from '../model/recurrentReference';
import { unroll, type CellConfig, type CellKind, type GateName, type Unrolled } from './cells';

export type Direction = 'forward' | 'backward';
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';

export interface SiteDirection {
  direction: Direction;
  cell: CellConfig;
}

/** A recurrent layer of the model: SimpleRNN, LSTM, GRU, or one of them wrapped in Bidirectional. */
export interface RecurrentSite {
  /** Position in `model.layers`. */
  index: number;
  layer: tf.layers.Layer;
  name: string;
  kind: CellKind;
  /** One direction, or forward then backward for a bidirectional layer (its weights in that order). */
  directions: SiteDirection[];
  returnSequences: boolean;
  mergeMode?: MergeMode;
}

const CELL_KINDS: Record<string, CellKind> = { SimpleRNN: 'simple_rnn', LSTM: 'lstm', GRU: 'gru' };

/** The recurrent layers of `model`, in order. */
export function recurrentSites(model: tf.LayersModel): RecurrentSite[] {
  const sites: RecurrentSite[] = [];
  model.layers.forEach((layer, index) => {
    const className = layer.getClassName();
    if (className === 'Bidirectional') {
      const config = layer.getConfig() as { mergeMode: MergeMode | null; layer: { className: string; config: Record<string, unknown> } };
      const forward = cellConfig(config.layer.className, config.layer.config);
      if (!forward) return;
      sites.push({
        index,
        layer,
        name: layer.name,
        kind: forward.kind,
        directions: [
          { direction: 'forward', cell: forward },
          { direction: 'backward', cell: { ...forward, goBackwards: !forward.goBackwards } },
        ],
        returnSequences: config.layer.config.returnSequences === true,
        mergeMode: config.mergeMode ?? 'concat',
      });
      return;
    }
    const cell = cellConfig(className, layer.getConfig());
    if (cell) {
      sites.push({
        index,
        layer,
        name: layer.name,
        kind: cell.kind,
        directions: [{ direction: 'forward', cell }],
        returnSequences: layer.getConfig().returnSequences === true,
      });
    }
  });
  return sites;
}

function cellConfig(className: string, config: Record<string, unknown>): CellConfig | undefined {
  const kind = CELL_KINDS[className];
  if (!kind) return undefined;
  return {
    kind,
    units: config.units as number,
    activation: (config.activation ?? 'tanh') as TfActivation,
    recurrentActivation: (config.recurrentActivation ?? 'sigmoid') as TfActivation,
    goBackwards: config.goBackwards === true,
  };
}

/** What a site's recomputation yields, per direction, in input time order (`[B, T, units]`). */
export interface SiteRecording {
  site: RecurrentSite;
  directions: {
    direction: Direction;
    /** `[B, T, units]` h_t aligned with the input timesteps. */
    states: tf.Tensor;
    /** `[B, units]` the state after the last processed step. */
    last: tf.Tensor;
    /** `[B, T, units]` per gate, aligned with the input timesteps. */
    gates: Partial<Record<GateName, tf.Tensor>>;
  }[];
}

export interface WalkOptions {
  /** Recompute these sites (by position in the site list) step by step instead of calling the layer. */
  recompute?: ReadonlySet<number>;
  /** Per recomputed site: `[T, B, units]` additive zeros per direction, processing order (see cells.ts). */
  eps?: ReadonlyMap<number, readonly tf.Tensor[]>;
  recordGates?: boolean;
  /** A gradient will be taken through the output (see `UnrollOptions.differentiable`); implied by `eps`. */
  differentiable?: boolean;
  /** Stop after this site (by position in the site list) and return its output. */
  stopAfterSite?: number;
  /** Called with every recomputed site's recording. */
  onSite?: (recording: SiteRecording) => void;
  /**
   * Start after layer `after` (a position in `model.layers`) with its output `x` and mask instead
   * of at the model's input: attribution feeds the layers after the embedding its own vectors.
   */
  from?: { after: number; x: tf.Tensor; mask?: tf.Tensor };
}

/** The model's output for `input` (`[B, T]` ids or `[B, T, F]` values), walking `sites` as asked. */
export function walk(model: tf.LayersModel, sites: readonly RecurrentSite[], input: tf.Tensor, options: WalkOptions = {}): tf.Tensor {
  const byIndex = new Map(sites.map((site, position) => [site.index, position]));
  let x = options.from?.x ?? input;
  let mask: tf.Tensor | undefined = options.from?.mask;
  for (const [index, layer] of model.layers.entries()) {
    if (layer.getClassName() === 'InputLayer' || (options.from && index <= options.from.after)) continue;
    const position = byIndex.get(index);
    const nextMask = layer.computeMask(x, mask) ?? undefined;
    if (position !== undefined && options.recompute?.has(position)) {
      const recording = recomputeSite(sites[position], x, mask, options.eps?.get(position), {
        recordGates: options.recordGates ?? false,
        differentiable: (options.differentiable ?? false) || options.eps !== undefined,
      });
      options.onSite?.(recording);
      x = siteOutput(sites[position], recording);
    } else {
      x = layer.apply(x, mask ? { mask } : {}) as tf.Tensor;
    }
    mask = (Array.isArray(nextMask) ? nextMask[0] : nextMask) ?? undefined;
    if (position !== undefined && position === options.stopAfterSite) return x;
  }
  return x;
}

function recomputeSite(
  site: RecurrentSite,
  x: tf.Tensor,
  mask: tf.Tensor | undefined,
  eps: readonly tf.Tensor[] | undefined,
  flags: { recordGates: boolean; differentiable: boolean },
): SiteRecording {
  const weights = site.layer.getWeights();
  const perDirection = weights.length / site.directions.length;
  return {
    site,
    directions: site.directions.map(({ direction, cell }, d) => {
      const unrolled = unroll(cell, weights.slice(d * perDirection, (d + 1) * perDirection), x, {
        ...(mask ? { mask } : {}),
        ...(eps?.[d] ? { eps: eps[d] } : {}),
        ...flags,
      });
      return { direction, ...inputTimeOrder(unrolled, cell.goBackwards) };
    }),
  };
}

function inputTimeOrder(unrolled: Unrolled, goBackwards: boolean): { states: tf.Tensor; last: tf.Tensor; gates: Partial<Record<GateName, tf.Tensor>> } {
  const batchMajor = (timeMajor: tf.Tensor): tf.Tensor => {
    const transposed = tf.transpose(timeMajor, [1, 0, 2]);
    return goBackwards ? tf.reverse(transposed, 1) : transposed;
  };
  const gates: Partial<Record<GateName, tf.Tensor>> = {};
  for (const [name, values] of Object.entries(unrolled.gates)) gates[name as GateName] = batchMajor(values);
  return { states: batchMajor(unrolled.states), last: unrolled.last, gates };
}

/**
 * The layer's own output from the recording: the sequence (Keras returns a `go_backwards` layer's
 * sequence in processing order, a bidirectional layer's backward half re-aligned) or the last state.
 */
function siteOutput(site: RecurrentSite, recording: SiteRecording): tf.Tensor {
  const parts = recording.directions.map(({ states, last }, d) => {
    if (!site.returnSequences) return last;
    // A lone go_backwards layer returns its sequence in processing order.
    const lone = site.directions.length === 1;
    return lone && site.directions[d].cell.goBackwards ? tf.reverse(states, 1) : states;
  });
  if (parts.length === 1) return parts[0];
  const [forward, backward] = parts;
  switch (site.mergeMode ?? 'concat') {
    case 'concat':
      return tf.concat([forward, backward], -1);
    case 'sum':
      return tf.add(forward, backward);
    case 'mul':
      return tf.mul(forward, backward);
    case 'ave':
      return tf.mul(tf.add(forward, backward), 0.5);
  }
}
