// `npm run try`: the whole extension in a browser, without installing VS Code. Installs code-server
// (once), builds and packages the VSIX, installs it into a private, persistent profile
// (.cache/try: your settings and runs survive restarts) and serves VS Code on loopback with
// examples/ opened. Runs until Ctrl-C, then stops the server and every process it started.
//
// Env: PORT (default 8080).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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

const entry = ensureCodeServer();
let packaged;
try {
  packaged = execFileSync(process.execPath, [join(root, 'scripts', 'package.mjs')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n');
} catch {
  console.error('Building the VSIX failed (see above); fix the build and run `npm run try` again.');
  process.exit(1);
}
console.log(packaged.slice(0, -1).join('\n'));
const vsix = packaged[packaged.length - 1];

let server;
try {
  server = await startCodeServer({ entry, port, stateDir: join(root, '.cache', 'try'), install: [vsix] });
} catch (error) {
  console.error(`${error.message}\nIs port ${port} already in use? Choose another with PORT=8081 npm run try.`);
  process.exit(1);
}

const folder = join(root, 'examples');
console.log(`\nSequence Lab in VS Code: ${server.url}/?folder=${encodeURIComponent(folder)}`);
console.log('Open a *.seqlab.yaml file, then run "Sequence Lab: Train" from the command palette (F1).');
// The harness stops the server and its whole process group on Ctrl-C; the profile stays for next time.
console.log('Press Ctrl-C to stop.');

