// Builds the production bundles and packages them as a VSIX (`npm run package`).
// Everything the extension runs is bundled into dist/, so the package carries no node_modules
// (`--no-dependencies`); .vscodeignore keeps sources, tests and maps out, and this script refuses
// to produce a package that contains any of them.
//
// Prints the VSIX path on its last line.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, `${name}-${version}.vsix`);

/** Paths that must never ship: sources, tests, source maps, dependencies, local state. */
const FORBIDDEN = [/\.ts$/, /\.map$/, /(^|\/)node_modules\//, /^(src|test|webview|scripts|bench|out)\//, /(^|\/)\.seqlab\//];

/** Runs a step; its own error output is already on stderr, so a failure only names the step. */
function run(command, args) {
  try {
    return execFileSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  } catch {
    console.error(`[package] failed: ${relative(root, args[0])} ${args.slice(1).join(' ')}`);
    process.exit(1);
  }
}

const started = Date.now();
run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production']);

const files = run(process.execPath, [vsce, 'ls', '--no-dependencies']).trim().split('\n');
const leaked = files.filter((file) => FORBIDDEN.some((pattern) => pattern.test(file)));
if (leaked.length > 0) {
  console.error(`The package would include files that must not ship; add them to .vscodeignore:\n  ${leaked.join('\n  ')}`);
  process.exit(1);
}

// No repository field on purpose (the project is not published): without the flag vsce asks on stdin, and
// README links stay relative so its screenshots resolve inside the installed extension.
run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out]);
const sizeKiB = statSync(out).size / 1024;
console.log(
  `[package] ${relative(root, out)}: ${files.length} files, ${sizeKiB.toFixed(0)} KiB (${((Date.now() - started) / 1000).toFixed(1)} s)`,
);
console.log(out);
