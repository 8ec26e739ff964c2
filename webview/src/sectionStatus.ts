/**
 * What a panel section says while it has nothing to show: a wait while the run goes on, "not
 * trained yet" for a spec without a run, and "not reached" once the run ended before the section's
 * data existed (a run that failed reading its data never gets curves, and must not promise them).
 * Pure: unit tested in Node.
 */
import type { RunState } from './state';

export type Section = 'curves' | 'hidden-states' | 'model' | 'data';

/** The stage of a run that first gives each section something to show. */
const STAGE: Record<Section, string> = {
  curves: 'its first batch',
  'hidden-states': 'its first probe snapshot',
  model: 'the model was built',
  data: 'its data was read',
};

const WAITING: Record<Section, string> = {
  curves: 'Curves appear with the first batch.',
  'hidden-states': 'Hidden states appear with the first probe snapshot.',
  model: 'Waiting for the model…',
  data: 'Not reported yet.',
};

const UNTRAINED: Record<Section, string> = {
  curves: 'Not trained yet: train the spec to see its loss and metric curves.',
  'hidden-states': 'Not trained yet: train the spec to watch the hidden states of its probes form.',
  model: 'No model summary: the layer stack has errors (see Problems).',
  data: 'The data is read when the spec trains.',
};

/** The placeholder `section` shows in `state` when it has none of its own content. */
export function sectionPlaceholder(state: RunState, section: Section): string {
  if (state.untrained) return UNTRAINED[section];
  switch (state.status) {
    case 'running':
      return WAITING[section];
    case 'failed':
      return `Not reached: the run failed before ${STAGE[section]}.`;
    case 'stopped':
      return `Not reached: the run was stopped before ${STAGE[section]}.`;
    case 'completed':
      return `Not reached: the run ended before ${STAGE[section]}.`;
  }
}

/** True while the panel waits for a run's events (false for an untrained spec or an ended run). */
export function isRunning(state: RunState): boolean {
  return state.status === 'running' && !state.untrained;
}
