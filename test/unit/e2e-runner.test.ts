/**
 * The extension-host suite's entry (test/e2e/suite/index.ts, whose run() VS Code calls) must fail
 * when it finds no test: a green phase that ran nothing would hide a broken build. It needs no
 * VS Code itself, so it runs here, bundled as build-e2e bundles it, beside test files we write.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { build } from 'esbuild';

const root = join(__dirname, '..', '..');
const dirs: string[] = [];

/** A folder holding the bundled index.js and the given test files; returns its run(). */
async function suiteWith(tests: Record<string, string>): Promise<() => Promise<void>> {
  // Inside the project, like out/e2e/suite: the bundle loads mocha from node_modules.
  mkdirSync(join(root, 'out'), { recursive: true });
  const dir = mkdtempSync(join(root, 'out', 'e2e-runner-'));
  dirs.push(dir);
  await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'test/e2e/suite/index.ts')],
    outfile: join(dir, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'warning',
    alias: { mocha: 'mocha/lib/mocha.cjs' },
    external: ['mocha/*'],
  });
  for (const [name, text] of Object.entries(tests)) writeFileSync(join(dir, name), text);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(join(dir, 'index.js')) as { run: () => Promise<void> }).run;
}

let quiet: typeof console.log;
before(() => {
  // The runner reports to the console, as it does into VS Code's log.
  quiet = console.log;
  console.log = () => undefined;
});
after(() => {
  console.log = quiet;
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

it('fails when it finds no test file', async () => {
  const run = await suiteWith({});
  await assert.rejects(run(), /ran no test \(test files in .*: none\)/);
});

it('fails when its test files hold no test', async () => {
  const run = await suiteWith({ 'empty.test.js': "describe('nothing here', () => {});\n" });
  await assert.rejects(run(), /ran no test \(test files in .*: empty\.test\.js\)/);
});

it('passes when a test passes, and fails when one fails', async () => {
  const passing = await suiteWith({ 'one.test.js': "it('holds', () => {});\n" });
  await passing();
  const failing = await suiteWith({ 'one.test.js': "it('breaks', () => { throw new Error('no'); });\n" });
  await assert.rejects(failing(), /1 extension-host test\(s\) failed: breaks/);
});
