// Locations the end-to-end harness shares.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const projectRoot = resolve(__dirname, '..', '..', '..');
export const resultsDir = join(projectRoot, 'test-results');
export const screenshotsDir = join(resultsDir, 'screenshots');

/** Runs scripts/setup-code-server.sh (a no-op once installed) and returns code-server's entry point. */
export function ensureCodeServer(): string {
  const output = execFileSync('bash', [join(projectRoot, 'scripts', 'setup-code-server.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = output.trim().split('\n');
  for (const line of lines.slice(0, -1)) console.log(line);
  return lines[lines.length - 1];
}
