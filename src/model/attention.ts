/**
 * Attention over an encoder's outputs, computed exactly as Keras 3's layers compute it
 * (keras/src/layers/attention/attention.py and additive_attention.py), so a spec's attention and
 * its exported Keras script are the same model:
 *
 * - `Attention` (Luong et al. 2015, "dot"): scores = query · keyᵀ (× a learned scalar with
 *   `use_scale`); `score_mode: concat`: scores = c · Σ tanh(s·(q + k)) over the features, with a
 *   learned scalar c (and s with `use_scale`). Luong's "general" score qᵀ W k is this layer with
 *   `key = Dense(dim, use_bias=False)(value)`, which the model builder adds.
 * - `AdditiveAttention` (Bahdanau et al. 2015): scores = Σ v ⊙ tanh(q + k) over the features, v a
 *   learned vector (`use_scale`, on by default; glorot-uniform initialised).
 *
 * Then, for both: masked key positions get scores - 1e9, weights = softmax over the keys
 * (`[batch, Tq, Tv]`, each row summing to 1), output = weights · value (`[batch, Tq, dim_v]`), zero
 * where the query is masked. Keys default to the values. Attention dropout is not implemented
 * (the spec refuses it).
 *
 * The layers return `[output, weights]`: the training graph uses the output, the views the weights.
 * They are registered with tfjs's serialization, so a saved model that holds one loads once this
 * module is imported.
 */
import * as tf from '@tensorflow/tfjs';

/** How a query and a key make a score. */
export type ScoreKind = 'dot' | 'concat' | 'additive';

/** The learned scalars/vectors of a score (absent: not used). */
export interface ScoreWeights {
  /** `[]` scalar (dot, concat) or `[dim]` (additive). */
  scale?: tf.Tensor;
  /** `[]` scalar of `concat`. */
  concatWeight?: tf.Tensor;
}

/**
 * Attention scores before masking.
 * @param query `[batch, Tq, dim]`
 * @param key `[batch, Tv, dim]`
 * @returns `[batch, Tq, Tv]`
 */
export function attentionScores(query: tf.Tensor3D, key: tf.Tensor3D, kind: ScoreKind, weights: ScoreWeights = {}): tf.Tensor3D {
  return tf.tidy(() => {
    if (kind === 'dot') {
      const scores = tf.matMul(query, key, false, true);
      return (weights.scale ? tf.mul(scores, weights.scale) : scores) as tf.Tensor3D;
    }
    // [batch, Tq, 1, dim] + [batch, 1, Tv, dim] -> [batch, Tq, Tv, dim]
    const sum = tf.add(tf.expandDims(query, 2), tf.expandDims(key, 1));
    if (kind === 'additive') return tf.sum(tf.mul(weights.scale ?? tf.scalar(1), tf.tanh(sum)), -1) as tf.Tensor3D;
    const scaled = weights.scale ? tf.mul(weights.scale, sum) : sum;
    return tf.mul(weights.concatWeight ?? tf.scalar(1), tf.sum(tf.tanh(scaled), -1)) as tf.Tensor3D;
  });
}

/** Keras' offset for masked scores (float32). */
const MASKED_SCORE_OFFSET = 1e9;

/**
 * Softmax over the keys and the weighted sum of the values.
 * @param scores `[batch, Tq, Tv]`
 * @param value `[batch, Tv, dim_v]`
 * @param valueMask `[batch, Tv]` (true or 1 where the key is real), optional.
 * @param queryMask `[batch, Tq]`, optional: the output is 0 where it is false.
 * @returns output `[batch, Tq, dim_v]` and weights `[batch, Tq, Tv]`.
 */
export function applyAttention(scores: tf.Tensor3D, value: tf.Tensor3D, valueMask?: tf.Tensor, queryMask?: tf.Tensor): { output: tf.Tensor3D; weights: tf.Tensor3D } {
  return tf.tidy(() => {
    let masked: tf.Tensor = scores;
    if (valueMask) {
      const keep = tf.expandDims(tf.cast(valueMask, 'bool'), 1);
      masked = tf.where(keep, scores, tf.sub(scores, MASKED_SCORE_OFFSET));
    }
    const weights = tf.softmax(masked, -1) as tf.Tensor3D;
    let output = tf.matMul(weights, value) as tf.Tensor3D;
    if (queryMask) output = tf.where(tf.expandDims(tf.cast(queryMask, 'bool'), -1), output, tf.zerosLike(output)) as tf.Tensor3D;
    return { output, weights };
  });
}

interface AttentionArgs {
  name?: string;
  useScale?: boolean;
  /** `Attention` only: `dot` (default) or `concat`. */
  scoreMode?: 'dot' | 'concat';
  trainable?: boolean;
}

type Masks = tf.Tensor | (tf.Tensor | null | undefined)[] | null | undefined;

/** `[query_mask, value_mask]` from what tfjs passes: a list from a functional model, nothing, or one tensor (the query's). */
function splitMasks(mask: Masks): { queryMask?: tf.Tensor; valueMask?: tf.Tensor } {
  if (!mask) return {};
  if (!Array.isArray(mask)) return { queryMask: mask };
  return { queryMask: mask[0] ?? undefined, valueMask: mask[1] ?? undefined };
}

/** The shared part of Keras' two attention layers: inputs `[query, value]` or `[query, value, key]`. */
abstract class AttentionBase extends tf.layers.Layer {
  readonly useScale: boolean;
  protected scale?: tf.LayerVariable;

  constructor(args: AttentionArgs, defaultScale: boolean) {
    super(args);
    this.useScale = args.useScale ?? defaultScale;
    this.supportsMasking = true;
  }

  protected abstract scoreKind(): ScoreKind;
  protected abstract scoreWeights(): ScoreWeights;

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape[] {
    const [query, value] = inputShape as tf.Shape[];
    const key = (inputShape as tf.Shape[])[2] ?? value;
    return [
      [...query.slice(0, -1), value[value.length - 1]],
      [...query.slice(0, -1), key[key.length - 2]],
    ];
  }

  /** The query's mask for both outputs, as Keras' `compute_mask` (none without one). */
  override computeMask(inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    void inputs;
    const { queryMask } = splitMasks(mask);
    return (queryMask ? [queryMask, queryMask] : null) as unknown as tf.Tensor[]; // tfjs reads null as "no mask"
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { mask?: Masks }): tf.Tensor[] {
    if (!Array.isArray(inputs) || inputs.length < 2 || inputs.length > 3) throw new Error(`${this.getClassName()} takes [query, value] or [query, value, key].`);
    const [query, value, key = value] = inputs as tf.Tensor3D[];
    const { queryMask, valueMask } = splitMasks(kwargs.mask);
    return tf.tidy(() => {
      const scores = attentionScores(query, key, this.scoreKind(), this.scoreWeights());
      const { output, weights } = applyAttention(scores, value, valueMask, queryMask);
      return [output, weights];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), use_scale: this.useScale };
  }
}

/** Keras `Attention` (Luong): `use_scale` off by default, `score_mode` dot or concat. */
export class LuongAttention extends AttentionBase {
  static className = 'Attention';
  readonly scoreMode: 'dot' | 'concat';
  private concatWeight?: tf.LayerVariable;

  constructor(args: AttentionArgs = {}) {
    super(args, false);
    this.scoreMode = args.scoreMode ?? 'dot';
  }

  override build(): void {
    if (this.useScale) this.scale = this.addWeight('scale', [], 'float32', tf.initializers.ones());
    if (this.scoreMode === 'concat') this.concatWeight = this.addWeight('concat_score_weight', [], 'float32', tf.initializers.ones());
    this.built = true;
  }

  protected scoreKind(): ScoreKind {
    return this.scoreMode;
  }

  protected scoreWeights(): ScoreWeights {
    return { scale: this.scale?.read(), concatWeight: this.concatWeight?.read() };
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), score_mode: this.scoreMode };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    return new cls({ name: config.name, useScale: config.use_scale, scoreMode: config.score_mode, trainable: config.trainable });
  }
}

/** Keras `AdditiveAttention` (Bahdanau): `use_scale` on by default, a learned vector `[dim]`. */
export class BahdanauAttention extends AttentionBase {
  static className = 'AdditiveAttention';

  constructor(args: AttentionArgs & { scaleSeed?: number } = {}) {
    super(args, true);
    this.scaleSeed = args.scaleSeed;
  }

  private readonly scaleSeed?: number;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const query = (inputShape as tf.Shape[])[0];
    const dim = query[query.length - 1] as number;
    // Keras' glorot_uniform of a vector: fan_in = fan_out = dim, so U(±sqrt(3 / dim)).
    if (this.useScale) this.scale = this.addWeight('scale', [dim], 'float32', tf.initializers.glorotUniform({ seed: this.scaleSeed }));
    this.built = true;
  }

  protected scoreKind(): ScoreKind {
    return 'additive';
  }

  protected scoreWeights(): ScoreWeights {
    return { scale: this.scale?.read() };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    return new cls({ name: config.name, useScale: config.use_scale, trainable: config.trainable });
  }
}

tf.serialization.registerClass(LuongAttention);
tf.serialization.registerClass(BahdanauAttention);
