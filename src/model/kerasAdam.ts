/**
 * Keras's Adam. Keras 2 (TensorFlow's `ResourceApplyAdam`) and Keras 3 (`keras/optimizers/adam.py`)
 * both fold the bias corrections into the step size and add ε to the uncorrected √v:
 *
 *   α_t = lr · √(1 − β₂ᵗ) / (1 − β₁ᵗ)
 *   m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²
 *   θ ← θ − α_t · m / (√v + ε)
 *
 * tfjs's `AdamOptimizer` follows Kingma & Ba's Algorithm 1 instead, adding ε to √v̂ (the corrected
 * v), which is Keras's update with ε shrunk by √(1 − β₂ᵗ): 32x at the first step, 3x at step 100.
 * Parameters whose gradients are near ε·10 (embedding rows of rare words, far from the loss through
 * a recurrent layer) then take full-size steps where Keras damps them. Replayed from the same
 * weights and batches, the seed's IMDB model differed from a Keras-formula reference by 0.008 in
 * loss after 30 steps with tfjs's update, and by under 1e-5 with this one.
 *
 * On wasm the update of each variable is one kernel (kerasAdamKernel.ts), bit for bit the ops below.
 * Extends tfjs's class so that a saved model records `Adam` with the same config, and keeps its own
 * moments (the parent's are private to it). Its moments are not among `getWeights()`: runs save the
 * model's weights only, never an optimizer's state.
 */
import * as tf from '@tensorflow/tfjs';
import { KERAS_ADAM_UPDATE, kerasAdamKernelAvailable, type KerasAdamStep } from './kerasAdamKernel';

interface Moments {
  m: tf.Variable;
  v: tf.Variable;
}

export class KerasAdamOptimizer extends tf.AdamOptimizer {
  private readonly moments = new Map<string, Moments>();

  constructor(learningRate: number, beta1: number, beta2: number, epsilon: number) {
    super(learningRate, beta1, beta2, epsilon);
  }

  /** One update of every variable named in `variableGradients` (gradients shaped as their variables). */
  override applyGradients(variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const gradients = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const step = this.iterations + 1; // t, counted from 1; incremented below
    const stepSize = (this.learningRate * Math.sqrt(1 - this.beta2 ** step)) / (1 - this.beta1 ** step);
    const scalars: KerasAdamStep = { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, stepSize };
    const fused = kerasAdamKernelAvailable();
    tf.tidy(() => {
      for (const { name, tensor: gradient } of gradients) {
        const variable = tf.engine().registeredVariables[name];
        const moments = this.momentsOf(name, variable);
        const [theta, m, v] =
          fused && variable.dtype === 'float32' && gradient.dtype === 'float32'
            ? (tf.engine().runKernel(KERAS_ADAM_UPDATE, { theta: variable, m: moments.m, v: moments.v, gradient }, scalars as unknown as tf.NamedAttrMap) as tf.Tensor[])
            : this.composedUpdate(variable, moments, gradient, scalars);
        moments.m.assign(m);
        moments.v.assign(v);
        variable.assign(theta);
      }
    });
    this.incrementIterations();
  }

  /** The update as tfjs ops (the native backend's path): [θ, m, v] after the step. */
  private composedUpdate(variable: tf.Variable, moments: Moments, gradient: tf.Tensor, { beta1, beta2, epsilon, stepSize }: KerasAdamStep): tf.Tensor[] {
    const m = tf.add(tf.mul(moments.m, beta1), tf.mul(gradient, 1 - beta1));
    const v = tf.add(tf.mul(moments.v, beta2), tf.mul(tf.square(gradient), 1 - beta2));
    return [tf.sub(variable, tf.mul(tf.div(m, tf.add(tf.sqrt(v), epsilon)), stepSize)), m, v];
  }

  override dispose(): void {
    super.dispose();
    for (const { m, v } of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
  }

  private momentsOf(name: string, variable: tf.Variable): Moments {
    let moments = this.moments.get(name);
    if (!moments) {
      moments = tf.tidy(() => ({ m: tf.variable(tf.zerosLike(variable), false), v: tf.variable(tf.zerosLike(variable), false) }));
      this.moments.set(name, moments);
    }
    return moments;
  }
}
