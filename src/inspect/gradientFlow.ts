/**
 * Gradient flow (RNNbow; DESIGN.md section 3): ‖∂L/∂h_t‖ for every timestep t of every recurrent
 * layer, from one backward pass. A zero tensor eps_t is added to each h_t of the step-by-step
 * recomputation; the gradient of the loss with respect to eps_t is dL/dh_t, including everything
 * that flows back into h_t from later timesteps. A vanishing gradient shows as norms that fall off
 * by orders of magnitude towards t = 0.
 */
import * as tf from '@tensorflow/tfjs';
import type { ElementwiseFn } from '../model/objective';
import type { GradientFlowLayer } from '../protocol';
import { walk, type RecurrentSite } from './network';
import { tidyValues } from './tidyValues';

export interface GradientFlow {
  /** The batch's loss (mean over sequences and outputs), in the loss's units (nats for cross-entropies). */
  loss: number;
  layers: GradientFlowLayer[];
}

/**
 * `x` `[B, T]` ids or `[B, T, F]` values and their targets `y`; `loss` the training loss per
 * element (its mean over everything is L). Norms are L2 over the batch and the units.
 */
export function gradientFlow(model: tf.LayersModel, sites: readonly RecurrentSite[], x: tf.Tensor, y: tf.Tensor, loss: ElementwiseFn): GradientFlow {
  if (sites.length === 0) return { loss: Number.NaN, layers: [] };
  return tidyValues(() => {
    const [batch, steps] = x.shape;
    const slots = sites.flatMap((site, position) => site.directions.map((direction, d) => ({ position, d, site, direction })));
    const eps = slots.map(({ direction }) => tf.zeros([steps, batch, direction.cell.units]));
    const objective = (...perSlot: tf.Tensor[]): tf.Scalar => {
      const byPosition = new Map<number, tf.Tensor[]>();
      slots.forEach(({ position, d }, i) => {
        const list = byPosition.get(position) ?? [];
        list[d] = perSlot[i];
        byPosition.set(position, list);
      });
      const output = walk(model, sites, x, { recompute: new Set(sites.map((_, i) => i)), eps: byPosition });
      return tf.mean(loss(y, output)) as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(objective)(eps);
    const layers = slots.map(({ site, direction }, i): GradientFlowLayer => {
      // [T, B, units] in processing order -> one norm per step -> input time order.
      const perStep = Array.from(tf.sqrt(tf.sum(tf.square(grads[i]), [1, 2])).dataSync());
      return {
        layer: site.name,
        cell: site.kind,
        direction: direction.direction,
        norms: direction.cell.goBackwards ? perStep.reverse() : perStep,
      };
    });
    return { loss: value.dataSync()[0], layers };
  });
}
