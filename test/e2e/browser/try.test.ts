// `npm run try` as a newcomer uses it: it serves VS Code on a copy of examples/ outside the
// repository and says where, and a run started there lands in that copy, never in the repository.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../harness/browser';
import { delay, freePort, type CodeServer } from '../harness/codeServer';
import { projectRoot } from '../harness/paths';
import { packagedVsix } from '../harness/vsix';
import { openFile, openWorkbench, runCommand } from '../harness/workbench';

const tryDir = mkdtempSync(join(tmpdir(), 'seqlab-try-test-'));
let child: ChildProcess | undefined;
let browser: Browser | undefined;

after(async () => {
  await browser?.close().catch(() => undefined);
  if (child?.pid !== undefined && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    process.kill(-child.pid, 'SIGINT');
    await Promise.race([exited, delay(10_000)]);
  }
  rmSync(tryDir, { recursive: true, force: true });
});

/** Every file below `dir` (runs folders included), relative to it. */
function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

test('npm run try serves a copy of the examples and leaves the repository clean', { timeout: 8 * 60_000 }, async () => {
  const repositoryExamples = join(projectRoot, 'examples');
  const before = filesBelow(repositoryExamples);
  const port = await freePort();
  child = spawn(process.execPath, [join(projectRoot, 'scripts', 'try.mjs')], {
    cwd: projectRoot,
    env: { ...process.env, PORT: String(port), SEQLAB_TRY_DIR: tryDir, SEQLAB_VSIX: packagedVsix() },
    // Its own process group: the after hook's SIGINT reaches it as Ctrl-C would.
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 4 * 60_000;
  while (!/Press Ctrl-C to stop/.test(output)) {
    assert.equal(child.exitCode, null, `npm run try exited early:\n${output}`);
    assert.ok(Date.now() < deadline, `npm run try did not start within 4 minutes:\n${output}`);
    await delay(250);
  }

  const folder = join(tryDir, 'examples');
  assert.match(output, new RegExp(`Workspace: ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n.*never in the repository`));
  const url = /Sequence Lab in VS Code: (\S+)/.exec(output)?.[1] ?? '';
  assert.equal(new URL(url).searchParams.get('folder'), folder);
  assert.deepEqual(
    readdirSync(folder).filter((name) => name.endsWith('.seqlab.yaml')),
    readdirSync(repositoryExamples).filter((name) => name.endsWith('.seqlab.yaml')),
  );

  browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await openWorkbench(page, { url: new URL(url).origin } as CodeServer, folder);
  await openFile(page, 'parity.seqlab.yaml');
  await runCommand(page, 'Sequence Lab: Quick Preview');
  const runs = join(folder, '.seqlab', 'runs');
  const finished = await waitForRun(runs, 5 * 60_000);
  assert.equal(finished.status, 'completed');
  assert.deepEqual(filesBelow(repositoryExamples), before, 'the repository’s examples/ changed');
});

async function waitForRun(runs: string, timeoutMs: number): Promise<{ status: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const run of existsSync(runs) ? readdirSync(runs) : []) {
      let meta: { status: string } | undefined;
      try {
        meta = JSON.parse(readFileSync(join(runs, run, 'run.json'), 'utf8')) as { status: string };
      } catch {
        continue; // not written yet
      }
      if (meta.status !== 'running') return meta;
    }
    assert.ok(Date.now() < deadline, `no finished run in ${runs} after ${timeoutMs / 1000} s`);
    await delay(500);
  }
}
