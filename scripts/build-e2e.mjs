// Bundles the extension-host test suite (test/e2e/suite/*.ts) into out/e2e/suite/, one file per
// test module plus index.js, whose run() VS Code calls (extensionTestsPath). `vscode` is provided
// by the extension host; mocha stays in node_modules, loaded through its CommonJS build because
// desktop VS Code's Node cannot require() an ES module.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const suiteDir = join(root, 'test/e2e/suite');
const outdir = join(root, 'out/e2e/suite');

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: readdirSync(suiteDir)
    .filter((name) => name === 'index.ts' || name.endsWith('.test.ts'))
    .map((name) => join(suiteDir, name)),
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  alias: { mocha: 'mocha/lib/mocha.cjs' },
  external: ['vscode', 'mocha/*'],
});
console.log(`extension-host suite built into ${outdir}`);
