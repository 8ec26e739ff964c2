// Runs the extension-host test suite (a module exporting `run()`, built to out/e2e/suite/index.js)
// inside real VS Code: code-server serves the workbench, headless Chromium opens it with the
// extension in development mode, and the workbench reports the suite's exit code back through
// `window.codeAutomationExit`, the same hook VS Code's own web integration tests use.
//
//   node --import tsx test/e2e/harness/runExtensionTests.ts [--extension DIR] [--tests FILE] [--folder DIR]
//
// Exit code: the suite's (0 = all passed); 1 when the suite did not finish within the timeout.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser } from './browser';
import { startCodeServer } from './codeServer';
import { ensureCodeServer, projectRoot } from './paths';
import { createExamplesWorkspace } from './workspace';

const { values } = parseArgs({
  options: {
    extension: { type: 'string', default: projectRoot },
    tests: { type: 'string', default: join(projectRoot, 'out', 'e2e', 'suite', 'index.js') },
    folder: { type: 'string' },
    timeout: { type: 'string', default: process.env.SEQLAB_E2E_TIMEOUT_MS ?? '600000' },
    verbose: { type: 'boolean', default: false },
  },
});

interface LogFile {
  relativePath: string;
  contents: string;
}

/**
 * The workbench's own housekeeping, which arrives through the same channel as the suite's console
 * output (VS Code's `IAutomatedWindow.codeAutomationLog(level, args)`); everything else is printed.
 */
const WORKBENCH_NOISE = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^Creation of workbench contribution/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^ChatSessionStore/,
  /^Extension host \(\w+\) is (un)?responsive/,
  // The extension gallery is unreachable offline; nothing in the tests needs it.
  /getaddrinfo ENOTFOUND/,
];

function printAutomationLog(level: string, args: unknown[]): void {
  const text = args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ');
  if (values.verbose || !WORKBENCH_NOISE.some((pattern) => pattern.test(text))) {
    console.log(level === 'info' ? text : `[${level}] ${text}`);
  }
}

async function main(): Promise<number> {
  const extensionPath = resolve(values.extension);
  const testsPath = resolve(values.tests);
  const timeoutMs = Number(values.timeout);
  if (!existsSync(testsPath)) {
    console.error(`The extension-host suite ${testsPath} does not exist: build it first (node scripts/build-e2e.mjs).`);
    return 1;
  }
  const entry = ensureCodeServer();
  const workspace = values.folder ? { folder: resolve(values.folder), dispose: () => undefined } : createExamplesWorkspace();
  const folder = workspace.folder;
  const server = await startCodeServer({ entry, verbose: values.verbose });
  const browser = await launchBrowser();
  const started = Date.now();
  try {
    const page = await browser.newPage();
    let finish: (code: number) => void = () => undefined;
    const finished = new Promise<number>((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', printAutomationLog);
    await page.exposeFunction('codeAutomationExit', (code: number, logs?: LogFile[]) => {
      if (code !== 0) {
        for (const log of logs ?? []) {
          if (/exthost/i.test(log.relativePath)) console.log(`--- ${log.relativePath}\n${log.contents}`);
        }
      }
      finish(code);
    });
    page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));

    const remote = (path: string): string => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extensionPath)],
      ['extensionTestsPath', remote(testsPath)],
      ['skipWelcome', 'true'],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    console.log(`[e2e] extension-host suite ${testsPath}\n[e2e] workbench ${server.url} folder ${folder}`);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([finished, timedOut]);
    clearTimeout(timer);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (outcome === 'timeout') {
      console.error(`[e2e] the extension-host suite did not finish within ${timeoutMs / 1000} s.`);
      return 1;
    }
    console.log(`[e2e] extension-host suite exited with code ${outcome} after ${seconds} s`);
    return outcome;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    workspace.dispose();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[e2e] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
