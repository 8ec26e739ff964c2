// Runs the extension-host suite in desktop VS Code, downloaded by @vscode/test-electron (machines
// with internet access; this repository's own CI uses code-server instead, see scripts/test.sh).
import { runTests } from '@vscode/test-electron';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
execFileSync(process.execPath, [join(root, 'scripts/build-e2e.mjs')], { stdio: 'inherit' });

const workspace = mkdtempSync(join(tmpdir(), 'seqlab-electron-'));
try {
  await runTests({
    version: process.env.VSCODE_TEST_VERSION ?? 'stable',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out/e2e/suite/index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
} catch (error) {
  console.error(`Extension-host tests failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
