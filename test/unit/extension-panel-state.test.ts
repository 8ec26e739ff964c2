import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { topLevelKeyLine } from '../../src/extension/language/sections';
import { RunLocations } from '../../src/extension/panel/runLocations';

/** A workspace-state stand-in that stores values the way VS Code does (JSON round trip). */
function memoryMemento(): vscode.Memento {
  const values = new Map<string, string>();
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (JSON.parse(values.get(key)!) as T) : fallback),
    update: async (key: string, value: unknown) => {
      values.set(key, JSON.stringify(value));
    },
  } as vscode.Memento;
}

describe('run locations kept for restoring panels', () => {
  it('finds the folder of a run shown before, and the latest one when a run moved', () => {
    const locations = new RunLocations(memoryMemento());
    locations.remember('20260101-000000-demo', '/a/runs/20260101-000000-demo');
    locations.remember('20260102-000000-demo', '/a/runs/20260102-000000-demo');
    locations.remember('20260101-000000-demo', '/b/runs/20260101-000000-demo');
    assert.equal(locations.find('20260101-000000-demo'), '/b/runs/20260101-000000-demo');
    assert.equal(locations.find('20260102-000000-demo'), '/a/runs/20260102-000000-demo');
    assert.equal(locations.find('pending-1'), undefined);
  });

  it('ignores runs that have no folder yet and forgets the oldest beyond 200', () => {
    const locations = new RunLocations(memoryMemento());
    locations.remember('pending-1', '');
    assert.equal(locations.find('pending-1'), undefined);
    for (let index = 0; index < 201; index++) locations.remember(`run-${index}`, `/runs/run-${index}`);
    assert.equal(locations.find('run-0'), undefined);
    assert.equal(locations.find('run-1'), '/runs/run-1');
    assert.equal(locations.find('run-200'), '/runs/run-200');
  });
});

describe('top-level sections of a spec', () => {
  it('finds `model:` and `train:` only at the top level', () => {
    const text = 'name: x\ndata:\n  model: not-this\nmodel:\n  - type: lstm\ntrain :\n  epochs: 1\n';
    assert.equal(topLevelKeyLine(text, 'model'), 3);
    assert.equal(topLevelKeyLine(text, 'train'), 5);
    assert.equal(topLevelKeyLine(text, 'inspect'), undefined);
  });
});
