/**
 * The epoch slider shared by the per-epoch views (hidden states and gates, gradient flow, the
 * representation map): one setting, `selectedEpoch`, so they all show the same moment of training.
 * Each view has its own copy of the control, next to what it moves.
 */
import { el, setText } from '../dom';
import { shownEpoch } from '../epochs';
import { snapshotLabel } from '../format';

export class EpochSlider {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly label = el('span', { className: 'slider-value' });
  private epochs: readonly number[] = [];

  /** `onSelect(null)` means "follow the latest epoch" (the slider at its right end). */
  constructor(onSelect: (epoch: number | null) => void) {
    this.input = el('input', { attrs: { type: 'range', min: '0', max: '0', step: '1', 'aria-label': 'Snapshot epoch' } });
    this.input.addEventListener('input', () => {
      const index = Number(this.input.value);
      onSelect(index >= this.epochs.length - 1 ? null : this.epochs[index]);
    });
    this.element = el('label', { className: 'slider epoch-slider' }, 'Epoch', this.input, this.label);
  }

  /** Shows the slider over `epochs` (ascending) at `selected`; hidden when there is nothing to choose. */
  update(epochs: readonly number[], selected: number | null, totalEpochs?: number): void {
    this.epochs = epochs;
    this.element.hidden = epochs.length === 0;
    if (epochs.length === 0) return;
    const index = epochs.indexOf(shownEpoch(epochs, selected) ?? epochs[epochs.length - 1]);
    this.input.max = String(epochs.length - 1);
    this.input.value = String(index);
    setText(this.label, snapshotLabel(epochs[index], totalEpochs));
  }
}
