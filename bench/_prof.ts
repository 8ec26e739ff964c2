import { initBackend } from '../src/model/backend';
import { KernelForward, setKernelThreads } from '../src/model/recurrentKernel';
async function main() {
  await initBackend('wasm', '/work/wt/speed/node_modules/@tensorflow/tfjs-backend-wasm/dist');
  const [B, T, I, H] = [64, 200, 128, 64];
  for (const cell of ['lstm', 'gru', 'simple_rnn'] as const) {
    const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
    const rnd = (n: number) => Float32Array.from({ length: n }, () => Math.random() - 0.5);
    const problem = { cell, activation: 'tanh' as const, recurrentActivation: 'sigmoid' as const, batch: B, steps: T, features: I, units: H, goBackwards: false,
      x: rnd(B * T * I), kernel: rnd(I * G * H).map((v) => v * 0.1), recurrentKernel: rnd(H * G * H).map((v) => v * 0.1), bias: rnd(G * H), inputMasks: [], recurrentMasks: [] };
    for (const threads of [1, 2]) {
      setKernelThreads(threads);
      const dy = rnd(B * H);
      for (let rep = 0; rep < 3; rep++) {
        const c0 = process.cpuUsage(); const t0 = performance.now();
        const pass = KernelForward.run(problem, true);
        pass.outputs(false);
        const c1 = process.cpuUsage(c0); const t1 = performance.now();
        pass.backward(dy, () => 0);
        const c2 = process.cpuUsage(c0); const t2 = performance.now();
        const flops = 2 * B * T * (I + H) * G * H;
        if (rep === 2) console.log(cell, 'threads', threads, 'fwd', (t1 - t0).toFixed(0), 'ms cpu', ((c1.user + c1.system) / 1000).toFixed(0), 'bwd', (t2 - t1).toFixed(0), 'ms cpu total', ((c2.user + c2.system) / 1000).toFixed(0), 'fwd GFLOP/cpu-s', (flops / ((c1.user + c1.system) / 1e6) / 1e9).toFixed(1));
      }
    }
  }
}
main();
