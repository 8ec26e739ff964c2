/**
 * Which job endings interrupt the user with a notification. Progress lives in the status bar and
 * the panel's header; a notification comes only at the end, for what the user started and would
 * otherwise miss: a finished training, a failure. Pure: unit tested directly.
 */
import type { JobKind } from './jobManager';
import { describeMetrics, type RunProgress } from './progress';

export interface EndNotice {
  severity: 'info' | 'error';
  message: string;
}

/** What the notification of an ended job says; undefined when the ending needs none. */
export function endNotice(job: { kind: JobKind; automatic: boolean; name: string; progress: RunProgress }): EndNotice | undefined {
  // Automatic previews report after `train:` in the editor, failures included.
  if (job.automatic) return undefined;
  const what = job.kind === 'preview' ? 'Quick preview' : 'Training';
  switch (job.progress.status) {
    case 'completed': {
      // A preview's result shows inline, where the user looks while editing.
      if (job.kind === 'preview') return undefined;
      const metrics = describeMetrics(job.progress, { trend: false });
      return { severity: 'info', message: `Sequence Lab: ${what} of ${job.name} finished${metrics ? `: ${metrics}` : ''}.` };
    }
    case 'failed':
      return { severity: 'error', message: `Sequence Lab: ${what} of ${job.name} failed. ${job.progress.errorMessage ?? ''}`.trim() };
    case 'stopped': // the user asked for it
    case 'running':
      return undefined;
  }
}
