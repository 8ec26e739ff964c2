/** Which baselines a chart draws (issue 8 §1). Pure, tested in Node. */
import type { Baseline } from '../../src/protocol';

/** A labelled horizontal line on a chart. */
export interface BaselineLine {
  label: string;
  value: number;
}

/**
 * The baselines of a chart of `quantity` (`loss`, `accuracy`, `data_rmse`...): the validation
 * split's (`val_<quantity>`) when the run has any, since the model's validation curve is the one
 * to beat them; else the training split's (a run without validation data).
 */
export function chartBaselines(baselines: readonly Baseline[] | undefined, quantity: string): BaselineLine[] {
  const of = (metric: string) => (baselines ?? []).filter((b) => b.metric === metric).map((b) => ({ label: b.name, value: b.value }));
  const validation = of(`val_${quantity}`);
  return validation.length > 0 ? validation : of(quantity);
}
