// `npm run try`: the whole extension in a browser, without installing VS Code. Installs code-server
// (once), builds and packages the VSIX, installs it into a private profile and serves VS Code on
// loopback with a COPY of examples/ opened, so that trying the tool (edits, runs, exports, new
// specs) never writes into the repository. Runs until Ctrl-C, then stops the server and every
// process it started.
//
// The copy and the profile live in one folder outside the repository, kept across restarts (your
// edits, runs and settings survive); delete it to start over from the examples:
//   $SEQLAB_TRY_DIR, default <os tmpdir>/sequence-lab-try-<user>/{examples,profile}
//
// Env: PORT (default 8080); SEQLAB_TRY_DIR; SEQLAB_VSIX (install this VSIX instead of packaging one).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/cjs/api';

// The harness that starts code-server for the tests is TypeScript (CommonJS, like the project):
// reuse it rather than duplicate it.
register();
const require = createRequire(import.meta.url);
const { startCodeServer } = require('../test/e2e/harness/codeServer.ts');
const { ensureCodeServer } = require('../test/e2e/harness/paths.ts');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`PORT must be a TCP port number, not "${process.env.PORT}".`);
  process.exit(2);
}
const tryDir = resolve(process.env.SEQLAB_TRY_DIR || join(tmpdir(), `sequence-lab-try-${userInfo().username}`));
if (!relative(root, tryDir).startsWith('..')) {
  console.error(`SEQLAB_TRY_DIR must be outside the repository (${root}), so that trying leaves it clean.`);
  process.exit(2);
}

const entry = ensureCodeServer();
const vsix = process.env.SEQLAB_VSIX || packageVsix();

const folder = join(tryDir, 'examples');
const fresh = !existsSync(folder);
// Runs kept beside the repository's own specs (a developer's) are not part of the examples.
if (fresh) cpSync(join(root, 'examples'), folder, { recursive: true, filter: (source) => basename(source) !== '.seqlab' });

let server;
try {
  server = await startCodeServer({ entry, port, stateDir: join(tryDir, 'profile'), install: [vsix] });
} catch (error) {
  console.error(`${error.message}\nIs port ${port} already in use? Choose another with PORT=8081 npm run try.`);
  process.exit(1);
}

console.log(`\nWorkspace: ${folder}`);
console.log(
  fresh
    ? '  a copy of examples/: your edits, runs and exports land there, never in the repository.'
    : '  your copy of examples/ from an earlier `npm run try` (delete it to start over from the examples).',
);
console.log(`\nSequence Lab in VS Code: ${server.url}/?folder=${encodeURIComponent(folder)}`);
console.log('Open a *.seqlab.yaml file, then run "Sequence Lab: Train" from the command palette (F1).');
// The harness stops the server and its whole process group on Ctrl-C; the workspace stays for next time.
console.log('Press Ctrl-C to stop.');

/** Builds and packages the VSIX; returns its path (package.mjs prints it last). */
function packageVsix() {
  try {
    const lines = execFileSync(process.execPath, [join(root, 'scripts', 'package.mjs')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    })
      .trim()
      .split('\n');
    console.log(lines.slice(0, -1).join('\n'));
    return lines[lines.length - 1];
  } catch {
    console.error('Building the VSIX failed (see above); fix the build and run `npm run try` again.');
    process.exit(1);
  }
}
