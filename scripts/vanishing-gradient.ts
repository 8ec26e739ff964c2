/**
 * The vanishing-gradient demo's figure: for each run folder given, ‖∂L/∂h_0‖ / ‖∂L/∂h_T‖ of every
 * recurrent layer after its first and its last epoch, read from the run's gradient-flow events
 * (views.jsonl). Below 1 the loss reaches the first step weaker than the last; 1e-6 means it has
 * vanished.
 *
 *   npx tsx scripts/vanishing-gradient.ts <runDir>...
 *   npx tsx scripts/vanishing-gradient.ts examples/.seqlab/runs/*vanishing-gradient*
 */
import { formatTable } from '../src/cli/format';
import type { GradientFlowEvent } from '../src/protocol';
import { readRun } from '../src/training/runStore';

const runDirs = process.argv.slice(2);
if (runDirs.length === 0) {
  console.error('Usage: npx tsx scripts/vanishing-gradient.ts <runDir>...');
  process.exit(2);
}

const rows: string[][] = [];
for (const runDir of runDirs) {
  const { meta, view } = readRun(runDir);
  const flows = view.events.filter((event): event is GradientFlowEvent => event.type === 'gradients' && event.epoch >= 0);
  if (flows.length === 0) {
    console.error(`${runDir}: no gradient-flow events after an epoch (inspect.views off, or no epoch finished).`);
    continue;
  }
  const [first, last] = [flows[0], flows.at(-1)!];
  for (const layer of first.layers) {
    const lastLayer = last.layers.find((candidate) => candidate.layer === layer.layer && candidate.direction === layer.direction);
    rows.push([
      meta.name,
      `${layer.layer}${layer.direction === 'backward' ? ' (backward)' : ''}`,
      String(layer.norms.length),
      `${first.epoch + 1}`,
      ratio(layer.norms),
      `${last.epoch + 1}`,
      lastLayer ? ratio(lastLayer.norms) : '-',
      formatNumber(last.loss),
    ]);
  }
}
console.log(formatTable(['run', 'layer', 'T', 'epoch', '‖∂L/∂h_0‖/‖∂L/∂h_T‖', 'epoch', '‖∂L/∂h_0‖/‖∂L/∂h_T‖', 'probe-batch loss'], rows));

/** First over last step (h_0 and h_T of the input order). */
function ratio(norms: readonly number[]): string {
  const last = norms.at(-1) ?? 0;
  if (!(last > 0)) return '-';
  // float32 gradients below about 1e-45 are exactly zero: the gradient has vanished entirely.
  return norms[0] === 0 ? '0 (underflow)' : formatNumber((norms[0] ?? 0) / last);
}

function formatNumber(value: number): string {
  return value !== 0 && (Math.abs(value) < 1e-2 || Math.abs(value) >= 1e4) ? value.toExponential(2) : value.toFixed(3);
}
