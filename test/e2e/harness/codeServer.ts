// Starts one private code-server (real VS Code 1.100 in a browser) on a free loopback port and
// guarantees that its whole process group dies with the test run: code-server keeps extension hosts
// alive for hours when only its parent is killed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from './paths';

export type ColorTheme = 'Default Light Modern' | 'Default Dark Modern';

export interface CodeServerOptions {
  /** Absolute path of code-server's `out/node/entry.js` (printed by scripts/setup-code-server.sh). */
  entry: string;
  /** Port to bind; a free one is picked when omitted. */
  port?: number;
  /** Keep user data and extensions here across runs (`npm run try`); a temp folder otherwise. */
  stateDir?: string;
  /** VSIX files installed into the private extensions folder before the server starts. */
  install?: string[];
  colorTheme?: ColorTheme;
  /** Forward the server's own output (noisy; useful when the workbench does not load). */
  verbose?: boolean;
}

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

/** Settings that keep the workbench quiet and deterministic for tests and screenshots. */
function baseSettings(colorTheme: ColorTheme): Record<string, unknown> {
  return {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.colorTheme': colorTheme,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    'window.restoreWindows': 'none',
    'files.hotExit': 'off',
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const temporary = options.stateDir === undefined;
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'seqlab-code-server-'));
  const dirs = {
    userData: join(stateDir, 'user-data'),
    extensions: join(stateDir, 'extensions'),
    home: join(stateDir, 'home'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const configFile = join(stateDir, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  // Read once at start-up (later edits are not applied reliably). A persistent profile keeps the
  // settings its user changed.
  const settingsFile = join(dirs.userData, 'User', 'settings.json');
  if (temporary || !existsSync(settingsFile)) {
    mkdirSync(dirname(settingsFile), { recursive: true });
    writeFileSync(settingsFile, JSON.stringify(baseSettings(options.colorTheme ?? 'Default Light Modern'), null, 2));
  }

  // A private HOME: code-server and the extension host write caches there; the user's stays untouched.
  const env = { ...process.env, HOME: dirs.home, XDG_CONFIG_HOME: join(dirs.home, '.config') };
  const commonArgs = [
    '--config', configFile,
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
  ];
  for (const vsix of options.install ?? []) {
    const result = spawnSync(process.execPath, [options.entry, ...commonArgs, '--install-extension', vsix, '--force'], {
      env,
      encoding: 'utf8',
    });
    if (result.status !== 0) {
      if (temporary) rmSync(stateDir, { recursive: true, force: true });
      throw new Error(`code-server could not install ${vsix}:\n${result.stdout}${result.stderr}`);
    }
  }

  const port = options.port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [
      options.entry,
      ...commonArgs,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
    ],
    // detached: the server leads its own process group, so one signal reaches every extension host.
    { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  const collect = (chunk: Buffer): void => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
    if (options.verbose) process.stderr.write(`[code-server] ${chunk}`);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const killGroup = (): void => killProcessGroup(child);
  // However this process ends (normally, Ctrl-C, a CI timeout's SIGTERM), the server's group goes
  // with it. Node runs no 'exit' listener when a signal kills it, hence the signal handlers.
  const onSignal = (signal: NodeJS.Signals): void => {
    killGroup();
    if (temporary) rmSync(stateDir, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', killGroup);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(url, child, READY_TIMEOUT_MS);
  } catch (error) {
    killGroup();
    if (temporary) rmSync(stateDir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\ncode-server output:\n${output.join('')}`, { cause: error });
  }

  return {
    url,
    port,
    async stop() {
      process.removeListener('exit', killGroup);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      await terminate(child);
      if (temporary) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

function killProcessGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** SIGTERM the group, then SIGKILL whatever is left after a grace period. */
async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killProcessGroup(child, 'SIGTERM');
    await Promise.race([exited, delay(3000)]);
  }
  // Extension hosts may outlive the server process itself: always sweep the group.
  killProcessGroup(child, 'SIGKILL');
}

async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode} before answering.`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await delay(250);
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs / 1000} s.`);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
