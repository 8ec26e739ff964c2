/**
 * The run store: one folder per training run, written while the run goes so that a run whose
 * process died is still readable.
 *
 *   <runsDir>/<YYYYMMDD-HHMMSS>-<slug>/
 *     spec.seqlab.yaml   the spec text actually trained
 *     run.json           RunMeta, rewritten atomically (temp file + rename)
 *     metrics.jsonl      every event but probes, one JSON object per line, appended as it happens
 *     probes.jsonl       probes events (large), kept apart so metrics stay cheap to scan
 *     views.jsonl        gates, gradient flow, representation maps and probed inputs (large too)
 *     model/             model.json + weights.bin (TensorFlow.js layers format) and
 *                        preprocessing.json (how to encode new input: src/data/preprocessing.ts)
 *
 * Each line carries a `seq` number next to the event's own fields, so the two files can be merged
 * back into the original order. No TensorFlow.js here: the extension host and the CLI read runs.
 *
 * Who writes a run's final status: `endRun` alone, and the first ending recorded wins. The worker
 * records how its run ended (completed, stopped, or failed with the error); its parent (client.ts)
 * records only what the worker could not (a crash, a kill); a reader of the history (`listRuns`,
 * `readRun`) records a run whose process is gone without an ending as failed.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { isRunEvent, type BackendName, type ErrorKind, type HelloEvent, type Metrics, type RecurrentEngine, type RunEvent, type RunStatus, type RunView } from '../protocol';

export const SPEC_FILE = 'spec.seqlab.yaml';
export const META_FILE = 'run.json';
export const METRICS_FILE = 'metrics.jsonl';
export const PROBES_FILE = 'probes.jsonl';
export const VIEWS_FILE = 'views.jsonl';
/** Where each kind of event is appended: large, per-epoch view data apart from the metrics. */
const EVENT_FILES: Partial<Record<RunEvent['type'], string>> = {
  probes: PROBES_FILE,
  gates: VIEWS_FILE,
  gradients: VIEWS_FILE,
  representation: VIEWS_FILE,
  inspection: VIEWS_FILE,
};
const LOG_FILES = [METRICS_FILE, PROBES_FILE, VIEWS_FILE];
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
  /** Which implementation trained the recurrent layers (absent in runs recorded before it was). */
  recurrent?: RecurrentEngine;
  versions: HelloEvent['versions'];
  seed: number;
  specHash: string;
  /** Hash of the prepared data; absent until the data has been read (and when reading it failed). */
  dataHash?: string;
  epochs: number;
  quick: boolean;
  /**
   * What a re-run needs besides the spec snapshot: the spec file the run started from (its folder
   * is where data paths resolve) and the training options that were not in the spec.
   */
  specPath?: string;
  previewExamples?: number;
  maxProbes?: number;
  /** The id of the run this one re-ran (same runs folder). */
  rerunOf?: string;
  /** Threads of the recurrent kernel: its gradient sums, and so the last bits, depend on it. */
  threads?: number;
  /** The process that trains the run and its machine: a run still `running` whose process is gone died. */
  pid?: number;
  host?: string;
  finalMetrics?: Metrics;
  /** Why a run stopped early (early stopping, a stop request, a kill). */
  reason?: string;
  error?: { kind: ErrorKind; message: string };
}

/** What a run is started with: its metadata as first recorded, plus where it goes and what it trains. */
export interface NewRun
  extends Pick<
    RunMeta,
    'name' | 'backend' | 'recurrent' | 'versions' | 'seed' | 'epochs' | 'quick' | 'specPath' | 'previewExamples' | 'maxProbes' | 'rerunOf' | 'threads'
  > {
  runsDir: string;
  specText: string;
  /** Known when the run starts after its data was read; `RunRecorder.update` records it later otherwise. */
  dataHash?: string;
  /** The training process; default this process. */
  pid?: number;
  /** Injected by tests; the run's start time otherwise. */
  now?: Date;
}

/** How a run ended: what `endRun` records. */
export interface RunEnding {
  status: Exclude<RunStatus, 'running'>;
  finalMetrics?: Metrics;
  reason?: string;
  error?: { kind: ErrorKind; message: string };
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
    ...(run.recurrent !== undefined ? { recurrent: run.recurrent } : {}),
    versions: run.versions,
    seed: run.seed,
    specHash: hashText(run.specText),
    ...(run.dataHash !== undefined ? { dataHash: run.dataHash } : {}),
    epochs: run.epochs,
    quick: run.quick,
    ...definedFields({ specPath: run.specPath, previewExamples: run.previewExamples, maxProbes: run.maxProbes, rerunOf: run.rerunOf, threads: run.threads }),
    pid: run.pid ?? process.pid,
    host: hostname(),
  });
  return new RunRecorder(dir, 0);
}

/** Continues an existing run, e.g. the parent recording a crash the worker could not. */
export function openRun(runDir: string): RunRecorder {
  readMeta(runDir); // fail early on a folder that is not a run
  const lines = LOG_FILES.flatMap((file) => readLines(join(runDir, file)).lines);
  return new RunRecorder(runDir, lines.reduce((last, line) => Math.max(last, line.seq), -1) + 1);
}

/** Appends events to one run folder in the order they are recorded, and keeps its run.json. */
export class RunRecorder {
  constructor(
    readonly dir: string,
    private nextSeq: number,
  ) {}

  append(event: RunEvent): void {
    const file = EVENT_FILES[event.type] ?? METRICS_FILE;
    appendFileSync(join(this.dir, file), JSON.stringify({ seq: this.nextSeq++, ...event }) + '\n');
  }

  meta(): RunMeta {
    return readMeta(this.dir);
  }

  /** Changes run.json's fields other than how the run ended (`finish`). */
  update(changes: Partial<Omit<RunMeta, 'id' | 'status' | 'endedAt' | keyof RunEnding>>): RunMeta {
    const meta = { ...readMeta(this.dir), ...changes };
    writeMeta(this.dir, meta);
    return meta;
  }

  /** Records how the run ended, unless an ending was recorded before (see `endRun`). */
  finish(ending: RunEnding): RunMeta {
    return endRun(this.dir, ending);
  }

  get modelDir(): string {
    return join(this.dir, MODEL_DIR);
  }
}

/**
 * The only way a run's status leaves `running`: records `ending` (with the time) in run.json. The
 * first ending wins: when run.json already has one, nothing changes and the recorded meta returns,
 * so the worker, its parent and a later reader can each record what they know without overwriting
 * a better-informed ending.
 */
export function endRun(runDir: string, ending: RunEnding): RunMeta {
  const meta = readMeta(runDir);
  if (meta.status !== 'running') return meta;
  const ended: RunMeta = { ...meta, ...definedFields(ending), endedAt: new Date().toISOString() };
  writeMeta(runDir, ended);
  return ended;
}

/**
 * A run still `running` whose process is gone (on this machine) died without recording an ending
 * (killed with SIGKILL, the machine restarted): it is recorded as failed. Runs of another machine,
 * and runs from before pids were recorded, are left as they are.
 */
function settleAbandoned(runDir: string, meta: RunMeta): RunMeta {
  if (meta.status !== 'running' || meta.pid === undefined || meta.host !== hostname() || processAlive(meta.pid)) return meta;
  return endRun(runDir, {
    status: 'failed',
    error: {
      kind: 'crash',
      message: `The training process (pid ${meta.pid}) ended without recording how the run ended (killed, or the machine restarted); the run folder keeps what was logged until then.`,
    },
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** A process that has exited but not yet been reaped still answers signal 0 (Linux only shows it). */
function isZombie(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function definedFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
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
    const runDir = join(runsDir, entry.name);
    try {
      runs.push(settleAbandoned(runDir, readMeta(runDir)));
    } catch {
      // A half-written or foreign folder must not hide the other runs.
    }
  }
  return runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
}

export interface StoredRun {
  meta: RunMeta;
  view: RunView;
  /**
   * Lines of the logs that could not be read, one sentence each (file, line number, what is
   * wrong): whoever shows the run shows these too, since those events are missing from the view.
   */
  problems: string[];
}

/** A run's metadata and its events in the order they happened, as the panel and report show them. */
export function readRun(runDir: string): StoredRun {
  const meta = settleAbandoned(runDir, readMeta(runDir));
  const logs = LOG_FILES.map((file) => readLines(join(runDir, file)));
  const lines = logs.flatMap((log) => log.lines).sort((a, b) => a.seq - b.seq);
  return {
    meta,
    view: { runId: meta.id, runDir, events: lines.map((line) => line.event) },
    problems: logs.flatMap((log) => log.problems),
  };
}

interface StoredLine {
  seq: number;
  event: RunEvent;
}

/**
 * Parses a JSONL file written by `RunRecorder.append`. A last line that does not parse is skipped
 * in silence: the writing process may have been killed mid-write. Any other unreadable line is
 * skipped too, and described in `problems`.
 */
function readLines(file: string): { lines: StoredLine[]; problems: string[] } {
  if (!existsSync(file)) return { lines: [], problems: [] };
  const texts = readFileSync(file, 'utf8').split('\n');
  while (texts.length > 0 && texts[texts.length - 1].trim() === '') texts.pop();
  const lines: StoredLine[] = [];
  const problems: string[] = [];
  texts.forEach((text, index) => {
    if (text.trim() === '') return;
    const line = parseLine(text);
    if (typeof line !== 'string') lines.push(line);
    else if (index < texts.length - 1 || line !== TORN) problems.push(`${basename(file)} line ${index + 1} ${line}; its event is left out.`);
  });
  return { lines, problems };
}

const TORN = 'is not valid JSON';

/** The stored line, or what is wrong with it. */
function parseLine(text: string): StoredLine | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return TORN;
  }
  if (!isRunEvent(parsed)) return 'is not a run event';
  if (!('seq' in parsed) || typeof parsed.seq !== 'number') return 'has no sequence number';
  const { seq, ...event } = parsed;
  return { seq, event: event as RunEvent };
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
