// A throwaway workspace for a test run: a copy of examples/, so runs written beside the specs
// (.seqlab/runs) never land in the checkout.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { projectRoot } from './paths';

export interface TestWorkspace {
  readonly folder: string;
  dispose(): void;
}

export function createExamplesWorkspace(): TestWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'seqlab-workspace-'));
  const folder = join(root, 'examples');
  cpSync(join(projectRoot, 'examples'), folder, {
    recursive: true,
    filter: (source) => basename(source) !== '.seqlab',
  });
  return { folder, dispose: () => rmSync(root, { recursive: true, force: true }) };
}
