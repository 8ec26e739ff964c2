// Bundles the programs of Sequence Lab into dist/ and copies the runtime assets they load.
//   dist/extension.js  VS Code extension host (never loads TensorFlow.js)
//   dist/worker.js     training child process (TensorFlow.js; tfjs-node when installed)
//   dist/generate.js   the panel's generation box on a saved model (forked by the extension)
//   dist/cli.js        the `seqlab` command line (dist/predictor.js: what `seqlab predict` loads on demand)
//   dist/probe.js      probe process: the panel's probe box on a finished run, from its saved model
//   dist/webview.js    panel UI (browser), also inlined into the CLI's HTML report (+ dist/webview.css)
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const production = process.argv.includes('--production');

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

const node = {
  ...common,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // tfjs-node is optional and native: resolved at run time, absent on most machines.
  external: ['vscode', '@tensorflow/tfjs-node'],
};

await Promise.all([
  build({ ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' }),
  build({ ...node, entryPoints: ['src/training/worker.ts'], outfile: 'dist/worker.js' }),
  // The panel's generation box: TensorFlow.js on a run's saved model, forked by the extension host.
  build({ ...node, entryPoints: ['src/tasks/generationProcess.ts'], outfile: 'dist/generate.js' }),
  // TensorFlow.js and the predictor for `seqlab predict`, loaded on demand by dist/cli.js.
  build({ ...node, entryPoints: ['src/training/predictorBundle.ts'], outfile: 'dist/predictor.js' }),
  build({ ...node, entryPoints: ['src/inspect/probeProcess.ts'], outfile: 'dist/probe.js' }),
  build({
    ...node,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  }),
  build({
    ...common,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    entryPoints: ['webview/src/main.ts'],
    outfile: 'dist/webview.js',
    // CSS imported by the webview (its own and uPlot's) is emitted beside it as dist/webview.css: the
    // panel links it (a strict CSP allows no script-made <style>), the HTML report inlines it.
  }),
]);

// The wasm backend loads its binaries from disk at run time (setWasmPaths(dist + '/')).
const wasmDir = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
for (const file of readdirSync(wasmDir).filter((name) => name.endsWith('.wasm'))) {
  copyFileSync(join(wasmDir, file), join(dist, file));
}
copyFileSync(join(root, 'src/language/seqlab.schema.json'), join(dist, 'seqlab.schema.json'));
