/**
 * Two or more runs side by side (issue 8 §5): their events for the overlaid curves and the metrics
 * table, what differed between them (the resolved specs' fields, seed, data, backend, versions,
 * threads), and what is not comparable. Reads run folders only: no TensorFlow.js, so the CLI and
 * the extension host both build it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveSpec, type ResolvedSpec } from '../language/resolve';
import { SpecSource } from '../language/yamlSource';
import type { ComparedField, ComparedRun, ComparedRunMeta, CompareView, RunEvent, RunEventType } from '../protocol';
import { readRun, SPEC_FILE, type RunMeta } from '../training/runStore';

/**
 * Runs whose curves are drawn together. DVC's VS Code extension plots at most 7 experiments; we
 * keep its figure: with two lines per run (training and validation), more than 7 runs cannot be
 * told apart by colour. Every run still has its column in the tables.
 */
export const MAX_PLOTTED_RUNS = 7;

/** Events a comparison uses: curves, baselines, the gradient-flow overlay, how each run ended. Heatmaps and probes are left out. */
const COMPARED_EVENTS: ReadonlySet<RunEventType> = new Set<RunEventType>(['hello', 'run', 'data', 'model', 'baselines', 'batch', 'epoch', 'gradients', 'done', 'error']);

/** Spec fields that name or describe a run without changing what it trains. */
const UNCOMPARED_SPEC_FIELDS: ReadonlySet<string> = new Set(['name', 'description']);

export interface Comparison {
  view: CompareView;
  /** Parts of the runs that could not be read, one sentence each (the report shows them too). */
  problems: string[];
}

/** Reads `runDirs` (two or more run folders) and compares them; throws when a folder is not a run. */
export function compareRuns(runDirs: readonly string[]): Comparison {
  const problems: string[] = [];
  const loaded = runDirs.map((runDir) => {
    const stored = readRun(runDir);
    problems.push(...stored.problems.map((problem) => `${stored.meta.id}: ${problem}`));
    const spec = readSpecSnapshot(runDir, stored.meta.id, problems);
    const run: ComparedRun = {
      runId: stored.meta.id,
      runDir,
      meta: comparedMeta(stored.meta, spec),
      events: stored.view.events.filter((event: RunEvent) => COMPARED_EVENTS.has(event.type)),
    };
    return { run, spec };
  });
  const runs = loaded.map(({ run }) => run);
  return {
    view: {
      runs,
      specDifferences: differences(loaded.map(({ spec }) => (spec ? flattenSpec(spec) : new Map<string, string>()))),
      runDifferences: differences(runs.map(({ meta }) => flattenMeta(meta))),
      notes: comparabilityNotes(runs),
      plotted: Math.min(runs.length, MAX_PLOTTED_RUNS),
    },
    problems,
  };
}

function readSpecSnapshot(runDir: string, id: string, problems: string[]): ResolvedSpec | undefined {
  const file = join(runDir, SPEC_FILE);
  if (!existsSync(file)) {
    problems.push(`${id}: the run has no spec snapshot (${SPEC_FILE}); its spec is left out of the comparison.`);
    return undefined;
  }
  return resolveSpec(new SpecSource(readFileSync(file, 'utf8')).data, file);
}

function comparedMeta(meta: RunMeta, spec: ResolvedSpec | undefined): ComparedRunMeta {
  return {
    name: meta.name,
    status: meta.status,
    startedAt: meta.startedAt,
    ...(spec ? { task: spec.data.task } : {}),
    seed: meta.seed,
    ...(meta.dataHash !== undefined ? { dataHash: meta.dataHash } : {}),
    backend: meta.backend,
    ...(meta.recurrent !== undefined ? { recurrent: meta.recurrent } : {}),
    versions: meta.versions,
    ...(meta.threads !== undefined ? { threads: meta.threads } : {}),
    epochs: meta.epochs,
    quick: meta.quick,
  };
}

/**
 * `path -> value` for every leaf of the resolved spec (defaults filled in): `model[1].units`,
 * `train.learning_rate`, `data.columns.value`. A list of plain values is one leaf (`train.metrics`).
 */
export function flattenSpec(spec: ResolvedSpec): Map<string, string> {
  const leaves = new Map<string, string>();
  const visit = (value: unknown, path: string): void => {
    if (UNCOMPARED_SPEC_FIELDS.has(path)) return;
    if (Array.isArray(value) && value.some((item) => typeof item === 'object' && item !== null)) {
      value.forEach((item, i) => visit(item, `${path}[${i}]`));
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [key, field] of Object.entries(value)) visit(field, path ? `${path}.${key}` : key);
    } else if (value !== undefined) {
      leaves.set(path, typeof value === 'string' ? value : JSON.stringify(value));
    }
  };
  visit(spec, '');
  return leaves;
}

function flattenMeta(meta: ComparedRunMeta): Map<string, string> {
  const fields: [string, unknown][] = [
    ['task', meta.task],
    ['seed', meta.seed],
    ['data hash', meta.dataHash?.slice(0, 12)],
    ['backend', meta.backend],
    ['recurrent implementation', meta.recurrent],
    ['threads', meta.threads],
    ['versions.seqlab', meta.versions.seqlab],
    ['versions.tfjs', meta.versions.tfjs],
    ['versions.node', meta.versions.node],
    ['epochs', meta.epochs],
    ['quick preview', meta.quick],
  ];
  return new Map(fields.filter(([, value]) => value !== undefined).map(([field, value]) => [field, String(value)]));
}

/** The fields whose values are not the same in every run, in first-seen order. */
export function differences(runs: readonly Map<string, string>[]): ComparedField[] {
  const fields = [...new Set(runs.flatMap((leaves) => [...leaves.keys()]))];
  return fields
    .map((field) => ({ field, values: runs.map((leaves) => leaves.get(field) ?? null) }))
    .filter(({ values }) => values.some((value) => value !== values[0]));
}

/** What a reader must know before comparing the figures. */
function comparabilityNotes(runs: readonly ComparedRun[]): string[] {
  const notes: string[] = [];
  const tasks = [...new Set(runs.map((run) => run.meta.task ?? 'unknown'))];
  if (tasks.length > 1) {
    notes.push(
      `These runs do different tasks (${tasks.join(', ')}): their losses measure different things and are drawn on separate charts; only metrics of the same name and task are compared.`,
    );
  }
  for (const task of tasks) {
    const hashes = new Set(runs.filter((run) => (run.meta.task ?? 'unknown') === task && run.meta.dataHash).map((run) => run.meta.dataHash));
    if (hashes.size > 1) notes.push(`The ${task} runs were trained on different data (different data hashes): their validation figures are not measured on the same examples.`);
  }
  for (const run of runs) {
    if (!run.events.some((event) => event.type === 'epoch')) notes.push(`${run.meta.name} (${run.runId}) has no finished epoch (${run.meta.status}): it has no epoch figures to compare.`);
  }
  if (runs.length > MAX_PLOTTED_RUNS) {
    notes.push(`The curves show the first ${MAX_PLOTTED_RUNS} of these ${runs.length} runs (more lines cannot be told apart); the tables show all of them.`);
  }
  return notes;
}
