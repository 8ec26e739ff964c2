/**
 * A sweep written as an Optuna study in Optuna's journal-storage format
 * (`optuna.storages.JournalStorage(optuna.storages.journal.JournalFileBackend(path))`), so Optuna
 * (5.0; the format is the operation log of optuna/storages/journal/_storage.py) and the Optuna
 * Dashboard open a sweep and can continue it with their own samplers.
 *
 * The file is one JSON object per line, each an operation with an `op_code` and a `worker_id`:
 * create a study (name, directions 1 = minimise, 2 = maximise), create a trial (study id, start
 * time; ids count every trial of the file in order), set a trial's parameter (its internal value
 * and its distribution as Optuna's JSON text), its intermediate values, user attributes, and its
 * state with values (0 running, 1 complete, 2 pruned, 3 failed). Appends take Optuna's own lock
 * (`JournalFileSymlinkLock`: a symlink `<file>.lock`, released by rename + unlink), so Optuna may
 * write to the same file while a sweep runs.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, fsyncSync, openSync, closeSync, readFileSync, renameSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import type { ParameterDomain, ParameterValue, Goal } from './sweepSpec';

/** Optuna's `JournalOperation`. */
export const OP = {
  CREATE_STUDY: 0,
  SET_STUDY_USER_ATTR: 2,
  CREATE_TRIAL: 4,
  SET_TRIAL_PARAM: 5,
  SET_TRIAL_STATE_VALUES: 6,
  SET_TRIAL_INTERMEDIATE_VALUE: 7,
  SET_TRIAL_USER_ATTR: 8,
} as const;

/** Optuna's `TrialState`. */
export const TRIAL_STATE = { RUNNING: 0, COMPLETE: 1, PRUNED: 2, FAIL: 3 } as const;
export type TrialStateCode = (typeof TRIAL_STATE)[keyof typeof TRIAL_STATE];

/** How long a lock may sit unchanged before it is taken over (Optuna's grace period). */
const LOCK_GRACE_MS = 30_000;

/** Optuna's distribution of a parameter, as `optuna.distributions.distribution_to_json` writes it. */
export function optunaDistribution(domain: ParameterDomain, bounds: [number, number]): { name: string; attributes: Record<string, unknown> } {
  if (domain.kind === 'values') return { name: 'CategoricalDistribution', attributes: { choices: domain.values } };
  const [low, high] = bounds;
  const step = domain.kind === 'range' && domain.step !== undefined && !domain.log ? domain.step : undefined;
  if (domain.integer) return { name: 'IntDistribution', attributes: { log: domain.log, step: domain.log ? 1 : (step ?? 1), low: Math.ceil(low), high: Math.floor(high) } };
  return { name: 'FloatDistribution', attributes: { step: step ?? null, low, high, log: domain.log } };
}

/** Optuna's internal representation of a value: a categorical's index, a number itself. */
export function internalValue(domain: ParameterDomain, value: ParameterValue): number {
  if (domain.kind === 'values') return domain.values.indexOf(value);
  return value as number;
}

/** An Optuna journal file, appended to as a sweep goes. */
export class OptunaJournal {
  private readonly workerId: string;

  constructor(
    readonly file: string,
    workerId?: string,
  ) {
    this.workerId = workerId ?? `${randomUUID()}-0`;
    if (!existsSync(file)) closeSync(openSync(file, 'a'));
  }

  /** The id of the study named `name`, created (with its directions) when the file has none. */
  study(name: string, goals: readonly Goal[]): number {
    const existing = this.replay().studies.get(name);
    if (existing !== undefined) return existing;
    this.append({ op_code: OP.CREATE_STUDY, study_name: name, directions: goals.map((goal) => (goal === 'minimize' ? 1 : 2)) });
    return this.replay().studies.get(name)!;
  }

  setStudyUserAttr(studyId: number, key: string, value: unknown): void {
    this.append({ op_code: OP.SET_STUDY_USER_ATTR, study_id: studyId, user_attr: { [key]: value } });
  }

  /** Creates a running trial with its parameters; returns its trial id. */
  createTrial(studyId: number, params: { name: string; internal: number; distribution: { name: string; attributes: Record<string, unknown> } }[], start = new Date()): number {
    const trialId = this.withLock(() => {
      const id = this.replay().trials;
      this.write([{ op_code: OP.CREATE_TRIAL, study_id: studyId, datetime_start: isoMicros(start) }]);
      return id;
    });
    this.append(
      ...params.map((param) => ({ op_code: OP.SET_TRIAL_PARAM, trial_id: trialId, param_name: param.name, param_value_internal: param.internal, distribution: JSON.stringify(param.distribution) })),
    );
    return trialId;
  }

  setIntermediate(trialId: number, step: number, value: number): void {
    this.append({ op_code: OP.SET_TRIAL_INTERMEDIATE_VALUE, trial_id: trialId, step, intermediate_value: value });
  }

  setTrialUserAttr(trialId: number, key: string, value: unknown): void {
    this.append({ op_code: OP.SET_TRIAL_USER_ATTR, trial_id: trialId, user_attr: { [key]: value } });
  }

  /** Finishes a trial: complete with one value per objective, pruned, or failed. */
  finishTrial(trialId: number, state: Exclude<TrialStateCode, 0>, values: readonly number[] | null, end = new Date()): void {
    this.append({ op_code: OP.SET_TRIAL_STATE_VALUES, trial_id: trialId, state, values, datetime_complete: isoMicros(end) });
  }

  /** Study ids by name and how many trials the file holds (what Optuna's replay numbers by). */
  replay(): { studies: Map<string, number>; trials: number } {
    const studies = new Map<string, number>();
    let nextStudy = 0;
    let trials = 0;
    const known = new Set<number>();
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      let log: Record<string, unknown>;
      try {
        log = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue; // a line torn by a killed writer: Optuna stops there too
      }
      if (log.op_code === OP.CREATE_STUDY && typeof log.study_name === 'string' && !studies.has(log.study_name)) {
        studies.set(log.study_name, nextStudy);
        known.add(nextStudy++);
      } else if (log.op_code === 1 && typeof log.study_id === 'number') {
        known.delete(log.study_id);
        for (const [name, id] of studies) if (id === log.study_id) studies.delete(name);
      } else if (log.op_code === OP.CREATE_TRIAL && typeof log.study_id === 'number' && known.has(log.study_id)) {
        trials++;
      }
    }
    return { studies, trials };
  }

  private append(...logs: Record<string, unknown>[]): void {
    if (logs.length > 0) this.withLock(() => this.write(logs));
  }

  private write(logs: Record<string, unknown>[]): void {
    appendFileSync(this.file, logs.map((log) => JSON.stringify({ op_code: log.op_code, worker_id: this.workerId, ...log })).join('\n') + '\n');
    const fd = openSync(this.file, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Optuna's JournalFileSymlinkLock: create `<file>.lock` as a symlink, retry while it exists. */
  private withLock<T>(body: () => T): T {
    const lock = `${this.file}.lock`;
    let wait = 1;
    let seenMtime: number | undefined;
    let seenAt = Date.now();
    for (;;) {
      try {
        symlinkSync(this.file, lock);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const mtime = lockMtime(lock);
        if (mtime !== seenMtime) {
          seenMtime = mtime;
          seenAt = Date.now();
        } else if (Date.now() - seenAt > LOCK_GRACE_MS) {
          release(lock);
          continue;
        }
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
        wait = Math.min(wait * 2, 1000);
      }
    }
    try {
      return body();
    } finally {
      release(lock);
    }
  }
}

function lockMtime(lock: string): number | undefined {
  try {
    return statSync(lock).mtimeMs;
  } catch {
    return undefined;
  }
}

function release(lock: string): void {
  const renamed = `${lock}${randomUUID()}.rename`;
  try {
    renameSync(lock, renamed);
    unlinkSync(renamed);
  } catch {
    // Someone else released or took over a stale lock.
  }
}

/** `2026-12-07T23:45:01.123000+00:00`: Python's `isoformat(timespec="microseconds")` in UTC. */
function isoMicros(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}
