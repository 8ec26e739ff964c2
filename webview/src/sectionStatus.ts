/**
 * What a panel section says while it has nothing to show: a wait while the run goes on, "not
 * trained yet" for a spec without a run, and "not reached" once the run ended before the section's
 * data existed (a run that failed reading its data never gets curves, and must not promise them).
 * Pure: unit tested in Node.
 */
import type { RunState } from './state';

export type Section = 'curves' | 'hidden-states' | 'gradient-flow' | 'representation' | 'model' | 'data';

/** The stage of a run that first gives each section something to show. */
const STAGE: Record<Section, string> = {
  curves: 'its first batch',
  'hidden-states': 'its first probe snapshot',
  'gradient-flow': 'its first snapshot',
  representation: 'its first snapshot',
  model: 'the model was built',
  data: 'its data was read',
};

const WAITING: Record<Section, string> = {
  curves: 'Curves appear with the first batch.',
  'hidden-states': 'Hidden states appear with the first probe snapshot.',
  'gradient-flow': 'The gradient flow appears with the first snapshot.',
  representation: 'The map appears with the first snapshot.',
  model: 'Waiting for the model…',
  data: 'Not reported yet.',
};

const UNTRAINED: Record<Section, string> = {
  curves: 'Not trained yet: train the spec to see its loss and metric curves.',
  'hidden-states': 'Not trained yet: train the spec to watch the hidden states of its probes form.',
  'gradient-flow': 'Not trained yet: train the spec to see how far back its gradient reaches.',
  representation: 'Not trained yet: train the spec to watch its classes separate.',
  model: 'No model summary: the layer stack has errors (see Problems).',
  data: 'The data is read when the spec trains.',
};

/** Views a finished run may lack without having ended early: it predates them or had views off. */
const NOT_RECORDED: Partial<Record<Section, string>> = {
  'gradient-flow': 'This run has no gradient flow: it was recorded with views off, or before the view existed.',
  representation: 'This run has no representation map: it was recorded with views off, or before the view existed.',
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
      return (state.epochs.length > 0 && NOT_RECORDED[section]) || `Not reached: the run ended before ${STAGE[section]}.`;
  }
}

/**
 * Whether the probe box can answer, and what it says when it cannot: a finished run answers from
 * its saved model, a live one from its latest epoch's weights; before the first epoch ends (or in
 * a run that ended before it) there are no weights to ask.
 */
export function probeUnavailable(state: RunState): string | undefined {
  if (state.untrained) return 'Not trained yet: train the spec, then probe the model with your own input.';
  if (state.epochs.length > 0) return undefined;
  switch (state.status) {
    case 'running':
      return 'Probing opens when the first epoch ends: the weights of the latest epoch answer.';
    case 'failed':
      return 'Not reached: the run failed before its first epoch ended, so there is no model to probe.';
    case 'stopped':
      return 'Not reached: the run was stopped before its first epoch ended, so there is no model to probe.';
    case 'completed':
      return undefined;
  }
}

/** True while the panel waits for a run's events (false for an untrained spec or an ended run). */
export function isRunning(state: RunState): boolean {
  return state.status === 'running' && !state.untrained;
}
