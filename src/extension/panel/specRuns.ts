/**
 * Which stored runs belong to a spec file. Several specs usually share one runs folder (`.seqlab/runs`
 * beside them), so "the spec's newest run" must never be another spec's. Pure: unit tested directly.
 */
import type { RunMeta } from '../../training/runStore';

/**
 * The newest run trained from `specPath`: matched by the spec path the run recorded, or, for runs
 * recorded before the path was kept, by the spec's `name`. `runs` is newest first (as listRuns gives).
 */
export function newestRunOfSpec(runs: readonly RunMeta[], specPath: string, specName: string | undefined): RunMeta | undefined {
  return runs.find((meta) => (meta.specPath !== undefined ? meta.specPath === specPath : specName !== undefined && meta.name === specName));
}
