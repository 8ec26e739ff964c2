/**
 * Runs of one spec told apart by what differs (issues 19 and 21): "sentiment-quick" twice in a
 * picker or a comparison says nothing; `#2 · gru · units 32` says which is which. Runs that share a
 * name are numbered by start time (#1 the oldest) and labelled with the values of the fields whose
 * values are not the same across them — the resolved spec's fields as *Compare Runs* flattens them
 * (`model[0].type`, `train.learning_rate`, `data.seed`), plus whatever run facts the caller adds
 * (a quick preview, an epochs override). A run whose name is unique needs no label.
 *
 * Used by the run pickers, *Compare Runs* and the sweep's experiment table: one labelling everywhere.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveSpec } from '../language/resolve';
import { SpecSource } from '../language/yamlSource';
import { readMeta, SPEC_FILE, type RunMeta } from '../training/runStore';
import { flattenSpec } from './compareRuns';

export interface LabelledRun {
  id: string;
  /** The spec's name: runs are told apart among those of the same name. */
  name: string;
  startedAt: string;
  /** `field -> value` (a flattened spec, and run facts); see `runFields`. */
  fields: ReadonlyMap<string, string>;
}

/** At most this many differing values in a label; more are counted (`+2 more`). */
export const MAX_LABEL_FIELDS = 3;

/**
 * A label per run id: `#k` among the runs of its name and the values that differ among them,
 * e.g. `#2 · gru · learning_rate 0.01`; `''` for a run whose name no other run has.
 */
export function runLabels(runs: readonly LabelledRun[]): Map<string, string> {
  const labels = new Map<string, string>();
  const byName = new Map<string, LabelledRun[]>();
  for (const run of runs) byName.set(run.name, [...(byName.get(run.name) ?? []), run]);
  for (const group of byName.values()) {
    if (group.length === 1) {
      labels.set(group[0]!.id, '');
      continue;
    }
    const ordered = [...group].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
    const differing = differingFields(ordered);
    const shortNames = shortFieldNames(differing);
    ordered.forEach((run, index) => {
      const parts = differing.flatMap((field) => describeValue(shortNames.get(field)!, run.fields.get(field)));
      const shown = parts.slice(0, MAX_LABEL_FIELDS);
      if (parts.length > MAX_LABEL_FIELDS) shown.push(`+${parts.length - MAX_LABEL_FIELDS} more`);
      labels.set(run.id, [`#${index + 1}`, ...shown].join(' \u00b7 '));
    });
  }
  return labels;
}

/** The fields whose values are not all the same, in first-seen order. */
function differingFields(runs: readonly LabelledRun[]): string[] {
  const fields = [...new Set(runs.flatMap((run) => [...run.fields.keys()]))];
  return fields.filter((field) => new Set(runs.map((run) => run.fields.get(field) ?? '\u0000absent')).size > 1);
}

/** The last key of each path (`units`), or the whole path where two differing fields share it. */
function shortFieldNames(fields: readonly string[]): Map<string, string> {
  const last = (field: string) => field.split('.').pop()!.replace(/\[\d+\]$/, '');
  const counts = new Map<string, number>();
  for (const field of fields) counts.set(last(field), (counts.get(last(field)) ?? 0) + 1);
  return new Map(fields.map((field) => [field, counts.get(last(field))! > 1 ? field : last(field)]));
}

/** A word value stands alone (`gru`); a number or flag with its field (`units 32`, `quick preview`); a field the run lacks says nothing. */
function describeValue(field: string, value: string | undefined): string[] {
  if (value === undefined) return [];
  return [describePresent(field, value)];
}

function describePresent(field: string, value: string): string {
  if (value === 'true') return field.replace(/_/g, ' ');
  if (value === 'false') return `no ${field.replace(/_/g, ' ')}`;
  if (/^[A-Za-z][A-Za-z0-9_-]*$/.test(value)) return value;
  return `${field} ${value.length > 24 ? `${value.slice(0, 23)}\u2026` : value}`;
}

/**
 * What a stored run is told apart by: its resolved spec's fields (defaults filled in, as Compare
 * shows them) with the epochs it was run for (a `--epochs` override, a preview's), and whether it
 * was a quick preview.
 */
export function runFields(runDir: string, meta: RunMeta = readMeta(runDir)): Map<string, string> {
  const file = join(runDir, SPEC_FILE);
  const fields = existsSync(file) ? flattenSpec(resolveSpec(new SpecSource(readFileSync(file, 'utf8')).data, file)) : new Map<string, string>();
  fields.set('train.epochs', String(meta.epochs));
  if (meta.quick) fields.set('quick_preview', 'true');
  return fields;
}

/** Labels for stored runs (folders), read from their spec snapshots and run records. */
export function labelRunFolders(runDirs: readonly string[]): Map<string, string> {
  const runs = runDirs.map((runDir) => {
    const meta = readMeta(runDir);
    return { id: runDir, name: meta.name, startedAt: meta.startedAt, fields: runFields(runDir, meta) };
  });
  return runLabels(runs);
}
