/**
 * The run store: one folder per training run, written while the run goes so that a run whose
 * process died is still readable.
 *
 *   <runsDir>/<YYYYMMDD-HHMMSS>-<slug>/
 *     spec.seqlab.yaml   the spec text actually trained
 *     run.json           RunMeta, rewritten atomically (temp file + rename)
 *     metrics.jsonl      every event but probes, one JSON object per line, appended as it happens
 *     probes.jsonl       probes events (large), kept apart so metrics stay cheap to scan
 *     model/             model.json + weights.bin (TensorFlow.js layers format)
 *
 * Each line carries a `seq` number next to the event's own fields, so the two files can be merged
 * back into the original order. No TensorFlow.js here: the extension host and the CLI read runs.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isRunEvent, type BackendName, type ErrorKind, type HelloEvent, type Metrics, type RunEvent, type RunStatus, type RunView } from '../protocol';

export const SPEC_FILE = 'spec.seqlab.yaml';
export const META_FILE = 'run.json';
export const METRICS_FILE = 'metrics.jsonl';
export const PROBES_FILE = 'probes.jsonl';
export const MODEL_DIR = 'model';

export interface RunMeta {
  /** The folder name, unique within its runs folder. */
  id: string;
  /** The spec's `name`. */
  name: string;
  status: RunStatus;
  startedAt: string;
  endedAt?: string;
  backend: BackendName;
  versions: HelloEvent['versions'];
  seed: number;
  specHash: string;
  dataHash: string;
  epochs: number;
  quick: boolean;
  finalMetrics?: Metrics;
  error?: { kind: ErrorKind; message: string };
}

export interface NewRun {
  runsDir: string;
  name: string;
  specText: string;
  backend: BackendName;
  versions: HelloEvent['versions'];
  seed: number;
  dataHash: string;
  epochs: number;
  quick: boolean;
  /** Injected by tests; the run's start time otherwise. */
  now?: Date;
}

/** The default runs folder: `.seqlab/runs` beside the spec. */
export function defaultRunsDir(specDir: string): string {
  return join(specDir, '.seqlab', 'runs');
}

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Creates the run folder with its spec snapshot and a `running` run.json. */
export function createRun(run: NewRun): RunRecorder {
  const startedAt = run.now ?? new Date();
  mkdirSync(run.runsDir, { recursive: true });
  const dir = reserveRunDir(run.runsDir, `${timestamp(startedAt)}-${slugify(run.name)}`);
  writeFileSync(join(dir, SPEC_FILE), run.specText);
  writeMeta(dir, {
    id: basename(dir),
    name: run.name,
    status: 'running',
    startedAt: startedAt.toISOString(),
    backend: run.backend,
    versions: run.versions,
    seed: run.seed,
    specHash: hashText(run.specText),
    dataHash: run.dataHash,
    epochs: run.epochs,
    quick: run.quick,
  });
  return new RunRecorder(dir, 0);
}

/** Continues an existing run, e.g. the parent recording a crash the worker could not. */
export function openRun(runDir: string): RunRecorder {
  readMeta(runDir); // fail early on a folder that is not a run
  const lines = [...readLines(join(runDir, METRICS_FILE)), ...readLines(join(runDir, PROBES_FILE))];
  return new RunRecorder(runDir, lines.reduce((last, line) => Math.max(last, line.seq), -1) + 1);
}

/** Appends events to one run folder in the order they are recorded, and keeps its run.json. */
export class RunRecorder {
  constructor(
    readonly dir: string,
    private nextSeq: number,
  ) {}

  append(event: RunEvent): void {
    const file = event.type === 'probes' ? PROBES_FILE : METRICS_FILE;
    appendFileSync(join(this.dir, file), JSON.stringify({ seq: this.nextSeq++, ...event }) + '\n');
  }

  meta(): RunMeta {
    return readMeta(this.dir);
  }

  update(changes: Partial<Omit<RunMeta, 'id'>>): RunMeta {
    const meta = { ...readMeta(this.dir), ...changes };
    writeMeta(this.dir, meta);
    return meta;
  }

  finish(status: Exclude<RunStatus, 'running'>, changes: Pick<RunMeta, 'finalMetrics' | 'error'> = {}): RunMeta {
    return this.update({ ...changes, status, endedAt: new Date().toISOString() });
  }

  get modelDir(): string {
    return join(this.dir, MODEL_DIR);
  }
}

export function readMeta(runDir: string): RunMeta {
  const file = join(runDir, META_FILE);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not a Sequence Lab run record (${(error as Error).message}).`, { cause: error });
  }
  if (!isRunMeta(parsed)) throw new Error(`${file} is not a Sequence Lab run record (missing id, name or status).`);
  return parsed;
}

/** Every readable run in `runsDir`, newest first; folders that are not runs are skipped. */
export function listRuns(runsDir: string): RunMeta[] {
  if (!existsSync(runsDir)) return [];
  const runs: RunMeta[] = [];
  for (const entry of readdirSync(runsDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !existsSync(join(runsDir, entry.name, META_FILE))) continue;
    try {
      runs.push(readMeta(join(runsDir, entry.name)));
    } catch {
      // A half-written or foreign folder must not hide the other runs.
    }
  }
  return runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
}

/** A run's metadata and its events in the order they happened, as the panel and report show them. */
export function readRun(runDir: string): { meta: RunMeta; view: RunView } {
  const meta = readMeta(runDir);
  const lines = [...readLines(join(runDir, METRICS_FILE)), ...readLines(join(runDir, PROBES_FILE))];
  lines.sort((a, b) => a.seq - b.seq);
  return { meta, view: { runId: meta.id, runDir, events: lines.map((line) => line.event) } };
}

interface StoredLine {
  seq: number;
  event: RunEvent;
}

/**
 * Parses a JSONL file written by `RunRecorder.append`. A line that does not parse is skipped:
 * the last one may be cut short when the writing process was killed mid-write.
 */
function readLines(file: string): StoredLine[] {
  if (!existsSync(file)) return [];
  const lines: StoredLine[] = [];
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (text.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue;
    }
    if (!isRunEvent(parsed) || !('seq' in parsed) || typeof parsed.seq !== 'number') continue;
    const { seq, ...event } = parsed;
    lines.push({ seq, event: event as RunEvent });
  }
  return lines;
}

function writeMeta(runDir: string, meta: RunMeta): void {
  // Write-then-rename: a reader (or a crash) never sees a half-written run.json.
  const temp = join(runDir, `.${META_FILE}.${process.pid}.tmp`);
  writeFileSync(temp, JSON.stringify(meta, null, 2) + '\n');
  renameSync(temp, join(runDir, META_FILE));
}

function isRunMeta(value: unknown): value is RunMeta {
  if (typeof value !== 'object' || value === null) return false;
  const meta = value as Record<string, unknown>;
  return typeof meta.id === 'string' && typeof meta.name === 'string' && typeof meta.status === 'string';
}

/** Creates `<runsDir>/<base>`, or `<base>-2`, `-3`... when two runs start within the same second. */
function reserveRunDir(runsDir: string, base: string): string {
  for (let attempt = 1; ; attempt++) {
    const dir = join(runsDir, attempt === 1 ? base : `${base}-${attempt}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

function timestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
  );
}

export function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || 'run';
}
