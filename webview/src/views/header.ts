/** Run name, backend, status, progress and the Stop button; Train and Quick Preview for a spec never trained. */
import type { RunState } from '../state';
import { el, setText } from '../dom';
import { formatDuration } from '../format';
import { isRunning } from '../sectionStatus';
import { button, progressRing } from '../toolkit';

const STATUS_TEXT = { running: 'Running', completed: 'Completed', stopped: 'Stopped', failed: 'Failed', untrained: 'Not trained' } as const;

/** What the panel's own buttons ask the host for. */
export interface HeaderActions {
  stop(): void;
  train(kind: 'train' | 'preview'): void;
}

export class HeaderView {
  readonly element: HTMLElement;
  private readonly title = el('h1', { className: 'run-title' });
  private readonly subtitle = el('div', { className: 'run-subtitle' });
  /** The spec's description: for an example, the lesson it teaches and the result it reaches. */
  private readonly description = el('p', { className: 'run-description' });
  private readonly status = el('span', { className: 'run-status' });
  private readonly ring = progressRing();
  private readonly stop: HTMLElement;
  /** Train and Quick Preview, for a spec that has no run yet. */
  private readonly trainButtons: HTMLElement;
  private runKey = '';
  private stopRequestedFor?: string;
  private readonly bar = el('div', { className: 'progress-fill' });
  private readonly progressText = el('div', { className: 'progress-text' });
  /** Which label got which class id, and the data's warnings (a dominant class...). */
  private readonly dataNotes = el('div', { className: 'data-notes' });
  private readonly errorMessage = el('div');
  private readonly errorDetail = el('pre', { className: 'error-detail' });
  /** The message for people first; the raw error text for developers folded away below it. */
  private readonly error = el(
    'div',
    { className: 'run-error', attrs: { role: 'alert' } },
    this.errorMessage,
    el('details', {}, el('summary', { text: 'Details' }), this.errorDetail),
  );

  constructor(
    /** False in the HTML report: nothing there can stop or start a run. */
    private readonly canAct: boolean,
    actions: HeaderActions,
  ) {
    this.stop = button(
      'Stop',
      () => {
        // The worker stops after its current batch; say so instead of inviting a second click.
        this.stopRequestedFor = this.runKey;
        this.stop.setAttribute('disabled', '');
        this.stop.textContent = 'Stopping…';
        actions.stop();
      },
      'secondary',
    );
    this.stop.classList.add('stop-button');
    this.trainButtons = el(
      'div',
      { className: 'train-buttons' },
      button('Train', () => actions.train('train')),
      button('Quick Preview', () => actions.train('preview'), 'secondary'),
    );
    this.ring.classList.add('run-ring');
    const progress = el(
      'div',
      { className: 'progress', attrs: { role: 'progressbar', 'aria-label': 'Training progress' } },
      this.bar,
    );
    const heading = el(
      'div',
      { className: 'run-heading' },
      el('div', {}, this.title, this.subtitle, this.description),
      el('div', { className: 'run-actions' }, this.ring, this.status, this.stop, this.trainButtons),
    );
    this.element = el(
      'header',
      { className: 'run-header' },
      heading,
      progress,
      this.progressText,
      this.dataNotes,
      this.error,
    );
  }

  update(state: RunState): void {
    const { run } = state;
    // The spec's name from the first frame: a run's id is an implementation detail (and a live one starts as a placeholder).
    setText(this.title, run?.name || state.name || 'Waiting for a run…');
    const parts = [
      state.backend ? `backend: ${state.backend}` : undefined,
      run?.quick ? 'quick preview' : undefined,
      run ? `started ${new Date(run.startedAt).toLocaleString()}` : undefined,
    ];
    setText(this.subtitle, parts.filter(Boolean).join(' · '));
    const description = run?.description ?? state.untrained?.description ?? '';
    setText(this.description, description);
    this.description.hidden = description === '';
    const status = state.untrained ? 'untrained' : state.status;
    setText(this.status, STATUS_TEXT[status]);
    this.element.dataset.status = status;
    const running = isRunning(state);
    this.ring.hidden = !running;
    this.stop.hidden = !(this.canAct && running);
    this.trainButtons.hidden = !(this.canAct && state.untrained?.errors === 0);
    this.runKey = state.runId;
    if (this.stopRequestedFor !== undefined && this.stopRequestedFor !== state.runId) {
      this.stopRequestedFor = undefined;
      this.stop.removeAttribute('disabled');
      this.stop.textContent = 'Stop';
    }

    const total = run ? run.epochs * run.batchesPerEpoch : 0;
    const done = state.status === 'completed' ? total : state.position ? state.position.step + 1 : 0;
    const fraction = total > 0 ? Math.min(done / total, 1) : 0;
    (this.bar.parentElement as HTMLElement).hidden = !!state.untrained;
    this.bar.style.width = `${(fraction * 100).toFixed(2)}%`;
    this.bar.parentElement?.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
    setText(this.progressText, progressText(state));

    const classes = state.data?.classCounts?.map(({ label, id, train }) => `"${label}" → ${id} (${train.toLocaleString('en-US')})`).join(' · ');
    const notes = [...(classes ? [`Classes: ${classes}`] : []), ...(state.data?.warnings ?? []).map((warning) => `⚠ ${warning}`)];
    if (this.dataNotes.textContent !== notes.join('')) this.dataNotes.replaceChildren(...notes.map((text) => el('div', { text })));

    setText(this.errorMessage, state.error?.message ?? '');
    setText(this.errorDetail, state.error?.detail ?? '');
    (this.errorDetail.parentElement as HTMLElement).hidden = !state.error?.detail;
    this.error.hidden = !state.error;
  }
}

function progressText(state: RunState): string {
  const { run, position, untrained } = state;
  if (untrained) {
    const { errors } = untrained;
    return errors > 0
      ? `This spec has not been trained, and has ${errors} error${errors === 1 ? '' : 's'} to fix first (see Problems).`
      : 'This spec has not been trained yet: Train runs it in full, Quick Preview on a slice of its data.';
  }
  if (!run) return isRunning(state) ? 'Starting: loading TensorFlow.js and reading the data…' : '';
  const parts: string[] = [];
  if (position) {
    parts.push(`Epoch ${position.epoch + 1}/${run.epochs}`, `batch ${position.batch + 1}/${run.batchesPerEpoch}`);
  } else if (run.batchesPerEpoch > 0) {
    parts.push(`${run.epochs} epochs of ${run.batchesPerEpoch} batches`);
  } else if (isRunning(state)) {
    parts.push('Reading the data…');
  }
  if (state.samplesPerSec !== undefined) {
    parts.push(`${Math.round(state.samplesPerSec).toLocaleString('en-US')} samples/s`);
  }
  if (state.durationMs !== undefined) parts.push(`took ${formatDuration(state.durationMs)}`);
  if (state.stopReason) parts.push(state.stopReason);
  return parts.join(' · ');
}
