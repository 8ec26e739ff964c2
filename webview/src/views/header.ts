/** Run name, backend, status, progress and the Stop button. */
import type { RunState } from '../state';
import { el, setText } from '../dom';
import { formatDuration } from '../format';
import { button, progressRing } from '../toolkit';

const STATUS_TEXT = { running: 'Running', completed: 'Completed', stopped: 'Stopped', failed: 'Failed' } as const;

export class HeaderView {
  readonly element: HTMLElement;
  private readonly title = el('h1', { className: 'run-title' });
  private readonly subtitle = el('div', { className: 'run-subtitle' });
  private readonly status = el('span', { className: 'run-status' });
  private readonly ring = progressRing();
  private readonly stop: HTMLElement;
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
    private readonly canStop: boolean,
    onStop: () => void,
  ) {
    this.stop = button(
      'Stop',
      () => {
        // The worker stops after its current batch; say so instead of inviting a second click.
        this.stopRequestedFor = this.runKey;
        this.stop.setAttribute('disabled', '');
        this.stop.textContent = 'Stopping…';
        onStop();
      },
      'secondary',
    );
    this.stop.classList.add('stop-button');
    this.ring.classList.add('run-ring');
    const progress = el(
      'div',
      { className: 'progress', attrs: { role: 'progressbar', 'aria-label': 'Training progress' } },
      this.bar,
    );
    const heading = el(
      'div',
      { className: 'run-heading' },
      el('div', {}, this.title, this.subtitle),
      el('div', { className: 'run-actions' }, this.ring, this.status, this.stop),
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
    setText(this.title, run?.name || state.runId || 'Waiting for a run…');
    const parts = [
      state.backend ? `backend: ${state.backend}` : undefined,
      run?.quick ? 'quick preview' : undefined,
      run ? `started ${new Date(run.startedAt).toLocaleString()}` : undefined,
    ];
    setText(this.subtitle, parts.filter(Boolean).join(' · '));
    setText(this.status, STATUS_TEXT[state.status]);
    this.element.dataset.status = state.status;
    const running = state.status === 'running';
    this.ring.hidden = !running;
    this.stop.hidden = !(this.canStop && running);
    this.runKey = state.runId;
    if (this.stopRequestedFor !== undefined && this.stopRequestedFor !== state.runId) {
      this.stopRequestedFor = undefined;
      this.stop.removeAttribute('disabled');
      this.stop.textContent = 'Stop';
    }

    const total = run ? run.epochs * run.batchesPerEpoch : 0;
    const done = state.status === 'completed' ? total : state.position ? state.position.step + 1 : 0;
    const fraction = total > 0 ? Math.min(done / total, 1) : 0;
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
  const { run, position } = state;
  if (!run) return '';
  const parts: string[] = [];
  if (position) {
    parts.push(`Epoch ${position.epoch + 1}/${run.epochs}`, `batch ${position.batch + 1}/${run.batchesPerEpoch}`);
  } else {
    parts.push(`${run.epochs} epochs of ${run.batchesPerEpoch} batches`);
  }
  if (state.samplesPerSec !== undefined) {
    parts.push(`${Math.round(state.samplesPerSec).toLocaleString('en-US')} samples/s`);
  }
  if (state.durationMs !== undefined) parts.push(`took ${formatDuration(state.durationMs)}`);
  if (state.stopReason) parts.push(state.stopReason);
  return parts.join(' · ');
}
