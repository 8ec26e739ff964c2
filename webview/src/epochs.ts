/** Which snapshot a per-epoch view shows for the epoch slider's position. Pure. */

/**
 * The epoch to show among `available` (ascending) for the slider's `selected` epoch (null: follow
 * the latest): the latest one not after it, else the first. Undefined when nothing is available.
 */
export function shownEpoch(available: readonly number[], selected: number | null): number | undefined {
  if (available.length === 0) return undefined;
  if (selected === null) return available[available.length - 1];
  let shown = available[0];
  for (const epoch of available) if (epoch <= selected) shown = epoch;
  return shown;
}

/** Every epoch any view has a snapshot of, ascending and distinct. */
export function unionEpochs(...lists: readonly (readonly { epoch: number }[])[]): number[] {
  return [...new Set(lists.flatMap((list) => list.map((item) => item.epoch)))].sort((a, b) => a - b);
}
