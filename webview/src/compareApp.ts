/**
 * The page of a comparison of runs: in a VS Code panel (*Compare Runs…*) or the report of
 * `seqlab compare`. The comparison is read from disk by the host or the CLI; this page only draws it.
 */
import { isRunEvent, type CompareView } from '../../src/protocol';
import { observeTheme, readTheme } from './theme';
import { ComparePage } from './views/compare';

declare global {
  interface Window {
    /** Browser tests read the overlaid charts here. */
    __seqlabCompare?: { charts: ComparePage['charts']; view(): CompareView | undefined };
  }
}

export class CompareApp {
  private readonly page = new ComparePage();
  private view?: CompareView;

  constructor(root: HTMLElement) {
    root.replaceChildren(this.page.element);
    observeTheme(() => this.view && this.page.themeChanged(readTheme()));
    window.__seqlabCompare = { charts: this.page.charts, view: () => this.view };
  }

  show(view: CompareView): void {
    // The events come from files or another process: keep only well-formed ones.
    this.view = { ...view, runs: view.runs.map((run) => ({ ...run, events: run.events.filter(isRunEvent) })) };
    this.page.show(this.view, readTheme());
  }
}
