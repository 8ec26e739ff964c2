/**
 * Keras `EarlyStopping` (keras/callbacks/early_stopping.py): `monitor` improves when it beats the
 * best value by more than `min_delta` (downwards for losses and errors, upwards for accuracy,
 * precision, recall, F1 and AUC); after `patience` epochs without improvement training ends. With
 * `restore_best_weights` the best epoch's weights are kept and put back when training ends.
 */
import * as tf from '@tensorflow/tfjs';
import type { EarlyStoppingSpec } from '../language/types';
import type { Metrics } from '../protocol';

/** Metrics that are better when higher (Keras infers the mode from the metric's direction). */
const HIGHER_IS_BETTER = /(^|_)(accuracy|acc|precision|recall|f1_score|auc)$/;

export function higherIsBetter(monitor: string): boolean {
  return HIGHER_IS_BETTER.test(monitor);
}

/** The best epoch so far: its number (zero-based), the monitored value, and all its metrics. */
export interface BestEpoch {
  epoch: number;
  value: number;
  metrics: Metrics;
}

export class EarlyStopping {
  private best: BestEpoch | undefined;
  private bestWeights: tf.Tensor[] | undefined;
  private wait = 0;
  private readonly higherIsBetter: boolean;

  constructor(private readonly spec: EarlyStoppingSpec) {
    this.higherIsBetter = higherIsBetter(spec.monitor);
  }

  /** After each epoch; returns why training should stop now, or undefined to continue. */
  update(epoch: number, metrics: Metrics, model: tf.LayersModel): string | undefined {
    const current = metrics[this.spec.monitor];
    if (current === undefined) return undefined;
    const delta = Math.abs(this.spec.min_delta);
    const best = this.best?.value;
    const improved = best === undefined || (this.higherIsBetter ? current - delta > best : current + delta < best);
    if (improved) {
      this.best = { epoch, value: current, metrics };
      this.wait = 0;
      if (this.spec.restore_best_weights) this.keepWeights(model);
      return undefined;
    }
    this.wait++;
    if (this.wait < this.spec.patience) return undefined;
    return `Early stopping after epoch ${epoch + 1}: ${this.spec.monitor} did not improve by more than ${delta} for ${this.wait} epoch${this.wait === 1 ? '' : 's'}; ${this.describeBest()}.`;
  }

  /**
   * With `restore_best_weights`, puts the best epoch's weights back into the model and returns
   * that epoch; otherwise (or before any epoch ended) returns undefined and changes nothing.
   */
  restoreBest(model: tf.LayersModel): BestEpoch | undefined {
    if (!this.bestWeights || !this.best) return undefined;
    model.setWeights(this.bestWeights);
    return this.best;
  }

  /** `best val_loss 0.3123 at epoch 2`, rounded for people. */
  describeBest(): string {
    if (!this.best) return `${this.spec.monitor} never reported`;
    return `best ${this.spec.monitor} ${roundForDisplay(this.best.value)} at epoch ${this.best.epoch + 1}`;
  }

  dispose(): void {
    this.bestWeights?.forEach((weight) => weight.dispose());
    this.bestWeights = undefined;
  }

  private keepWeights(model: tf.LayersModel): void {
    this.dispose();
    this.bestWeights = model.getWeights().map((weight) => weight.clone());
  }
}

/** Four significant digits: 0.3123, 12.35, 1235. */
export function roundForDisplay(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value);
}
