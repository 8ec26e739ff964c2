/**
 * The Node versions package.json declares are versions every installed package supports: npm
 * warns (EBADENGINE) on any package whose `engines.node` excludes part of our range, as
 * @vscode/test-electron 3.x did (Node >= 22) while we declared Node 20.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import semver from 'semver';

const root = join(__dirname, '..', '..');
const readJson = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8')) as unknown;

interface LockEntry {
  version?: string;
  engines?: { node?: string } | string[];
}

it('every locked package supports every Node version package.json declares', () => {
  const manifest = readJson('package.json') as { engines: { node: string } };
  const lock = readJson('package-lock.json') as { packages: Record<string, LockEntry> };
  const declared = manifest.engines.node;
  assert.ok(semver.validRange(declared), `engines.node "${declared}" is not a version range`);
  const excluding = Object.entries(lock.packages)
    .filter(([path]) => path !== '')
    .flatMap(([path, entry]) => {
      const wanted = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      return wanted && !semver.subset(declared, wanted) ? [`${path.replace(/^.*node_modules\//, '')}@${entry.version}: node ${wanted}`] : [];
    });
  assert.deepEqual(excluding, [], `package.json declares node "${declared}"`);
});

it('the Node version running the tests is one package.json declares', () => {
  const { engines } = readJson('package.json') as { engines: { node: string } };
  assert.ok(semver.satisfies(process.version, engines.node), `${process.version} is outside "${engines.node}"`);
});
