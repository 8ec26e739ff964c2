/**
 * Owns the run state and the view settings, and renders the views from them. Events may arrive by
 * the thousand: they are folded into the state immediately and drawn at most ten times a second.
 */
import type { RunEvent, RunView } from '../../src/protocol';
import { runToCsv } from './csv';
import { el } from './dom';
import type { Host, ViewSettings } from './host';
import { reduce, stateFromView, initialState, type RunState } from './state';
import { observeTheme, readTheme, type Theme } from './theme';
import { CurvesView } from './views/curves';
import { HeaderView } from './views/header';
import { HeatmapsView } from './views/heatmaps';
import { SummaryView } from './views/summary';

const MIN_RENDER_INTERVAL_MS = 100;

/** Handles for browser tests: uPlot instances (read `.data`) and heatmap canvases (read pixels). */
export interface TestHandles {
  charts: CurvesView['charts'];
  heatmaps: HeatmapsView['heatmaps'];
  state(): RunState;
}

declare global {
  interface Window {
    __seqlab?: TestHandles;
  }
}

export class App {
  private state: RunState = initialState();
  private settings: ViewSettings;
  private theme: Theme = readTheme();
  private readonly header: HeaderView;
  private readonly curves: CurvesView;
  private readonly heatmaps: HeatmapsView;
  private readonly summary = new SummaryView();
  /** Timer of the scheduled render, 0 when none is. */
  private pendingRender = 0;
  private lastRender = -Infinity;
  /** Set when charts and heatmaps must be re-created rather than updated (new run, theme, scale type). */
  private rebuild = false;
  private restoreScroll = false;
  private readonly pendingTasks: (() => void)[] = [];

  constructor(
    root: HTMLElement,
    private readonly host: Host,
  ) {
    this.settings = host.loadSettings();
    const actions = {
      changeSettings: (patch: Partial<ViewSettings>) => this.changeSettings(patch),
      exportCsv: () => this.host.exportCsv(this.state.runId, runToCsv(this.state)),
    };
    this.header = new HeaderView(host.kind === 'panel', {
      stop: () => this.host.post({ type: 'stop', runId: this.state.runId }),
      train: (kind) => this.host.post({ type: 'train', kind }),
    });
    this.curves = new CurvesView(this.settings, actions);
    this.heatmaps = new HeatmapsView(actions);
    root.append(
      el('div', { className: 'seqlab' }, this.header.element, this.curves.element, this.heatmaps.element, this.summary.element),
    );
    window.__seqlab = { charts: this.curves.charts, heatmaps: this.heatmaps.heatmaps, state: () => this.state };

    observeTheme(() => this.themeChanged());
    window.addEventListener('scroll', () => this.schedule(false, () => this.saveSettings({ scrollY: window.scrollY })), {
      passive: true,
    });
  }

  /** Shows a whole run (a fresh panel, a reopened run, or the host re-sending after `ready`). */
  show(view: RunView): void {
    const sameRun = view.runId === this.settings.runId;
    this.saveSettings(sameRun ? {} : { runId: view.runId, selectedEpoch: null, scrollY: 0 });
    this.restoreScroll = sameRun;
    this.curves.clear();
    this.heatmaps.clear();
    this.state = stateFromView(view);
    this.schedule(true);
  }

  /** Appends one live event of the run on display; events of another run are ignored. */
  apply(runId: string, event: RunEvent): void {
    if (this.state.runId && runId !== this.state.runId) return;
    this.state = reduce(this.state, event);
    this.schedule();
  }

  themeChanged(): void {
    this.theme = readTheme();
    this.schedule(true);
  }

  private changeSettings(patch: Partial<ViewSettings>): void {
    const scaleChanged = patch.logScale !== undefined && patch.logScale !== this.settings.logScale;
    this.saveSettings(patch);
    this.schedule(scaleChanged);
  }

  private saveSettings(patch: Partial<ViewSettings>): void {
    this.settings = { ...this.settings, ...patch };
    this.host.saveSettings(this.settings);
  }

  private schedule(rebuild = false, task?: () => void): void {
    this.rebuild ||= rebuild;
    if (task) this.pendingTasks.push(task);
    if (this.pendingRender) return;
    // At most one render per frame, and during a stream at most one per MIN_RENDER_INTERVAL_MS:
    // redrawing 10k-point charts on every frame would starve the rest of the page.
    const wait = Math.max(0, this.lastRender + MIN_RENDER_INTERVAL_MS - performance.now());
    this.pendingRender = window.setTimeout(() => {
      requestAnimationFrame(() => {
        this.pendingRender = 0;
        for (const pending of this.pendingTasks.splice(0)) pending();
        this.render();
      });
    }, wait);
  }

  private render(): void {
    this.lastRender = performance.now();
    const rebuild = this.rebuild;
    this.rebuild = false;
    this.header.update(this.state);
    this.curves.update(this.state, this.settings, this.theme, rebuild);
    this.heatmaps.update(this.state, this.settings, this.theme, rebuild);
    this.summary.update(this.state);
    if (this.restoreScroll) {
      this.restoreScroll = false;
      window.scrollTo(0, this.settings.scrollY);
    }
  }
}
