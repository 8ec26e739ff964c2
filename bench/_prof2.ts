import { initBackend } from '../src/model/backend';
import { setKernelThreads } from '../src/model/recurrentKernel';
import { train } from '../src/training/trainer';
import { recurrent, spec, tokenData } from '../test/unit/model-fixtures';
async function main() {
  await initBackend('wasm', 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  setKernelThreads(1);
  const data = tokenData({ count: 64 * 6, timesteps: 200, vocab: 10000 });
  const s = spec([{ type: 'embedding', output_dim: 128, mask_zero: false }, recurrent('lstm', 64), { type: 'dense', units: 1, activation: 'sigmoid' }], { batch_size: 64, epochs: 1, learning_rate: 0.001 });
  let c0 = process.cpuUsage();
  await train({ spec: s, data: { ...data, validation: { ...data.validation, count: 0 } }, epochs: 1, shouldStop: () => false, emit: (e) => { if (e.type === 'batch') { const c = process.cpuUsage(c0); console.log('batch', e.batch, ((c.user + c.system) / 1000).toFixed(0), 'ms cpu'); c0 = process.cpuUsage(); } } });
}
main();
