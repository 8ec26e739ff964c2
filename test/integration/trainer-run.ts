/** Runs the trainer in-process on hand-made data and collects its events, for the trainer tests. */
import type { PreparedData } from '../../src/data/types';
import type { ModelSpec } from '../../src/language/types';
import type { ViewOptions } from '../../src/protocol';
import { train, type TrainerContext, type TrainerResult } from '../../src/training/trainer';

export type TrainerEvent = Parameters<TrainerContext['emit']>[0];

export async function run(
  modelSpec: ModelSpec,
  data: PreparedData,
  options: { epochs?: number; stopAfterBatches?: number; maxProbes?: number; views?: ViewOptions } = {},
): Promise<{ result: TrainerResult; events: TrainerEvent[] }> {
  const events: TrainerEvent[] = [];
  const result = await train({
    spec: modelSpec,
    data,
    epochs: options.epochs ?? modelSpec.train.epochs,
    emit: (event) => events.push(event),
    shouldStop: () => options.stopAfterBatches !== undefined && events.filter((e) => e.type === 'batch').length >= options.stopAfterBatches,
    ...(options.maxProbes !== undefined ? { maxProbes: options.maxProbes } : {}),
    ...(options.views ? { views: options.views } : {}),
  });
  return { result, events };
}

export const ofType = <T extends TrainerEvent['type']>(events: TrainerEvent[], type: T) =>
  events.filter((event): event is Extract<TrainerEvent, { type: T }> => event.type === type);
