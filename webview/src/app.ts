/**
 * Owns the run state and the view settings, and renders the views from them. Events may arrive by
 * the thousand: they are folded into the state immediately and drawn at most ten times a second.
 */
import type { RunEvent, RunView } from '../../src/protocol';
import { runToCsv } from './csv';
import { el } from './dom';
import { hasPendingDraws } from './frameBudget';
import type { Host, ViewSettings } from './host';
import { reduceAll, stateFromView, initialState, type RunState } from './state';
import { observeTheme, readTheme, type Theme } from './theme';
import { CurvesView } from './views/curves';
import { HeaderView } from './views/header';
import { GradientFlowView } from './views/gradientFlow';
import { GradientNormsView } from './views/gradientNorms';
import { ProbeBoxView } from './views/probeBox';
import { ProbeHeatmapsView } from './views/probeHeatmaps';
import { RepresentationView } from './views/representation';
import { SummaryView } from './views/summary';
import { ClassificationView } from './views/classification';
import { ForecastView } from './views/forecast';
import { TextGenerationView } from './views/textGeneration';
import type { RunOverlay } from './flowSeries';

const MIN_RENDER_INTERVAL_MS = 100;

/** Handles for browser tests: uPlot instances (read `.data`) and heatmap canvases (read pixels). */
export interface TestHandles {
  charts: CurvesView['charts'];
  heatmaps: ProbeHeatmapsView['heatmaps'];
  /** Gradient-flow charts by `layer/direction`, and the gradient-norm chart. */
  flowCharts: GradientFlowView['charts'];
  gradNorms(): GradientNormsView['plot'];
  /** Heatmaps of sequences probed by hand, by `inspectionId/layer[/direction/gate]`. */
  probeHeatmaps: ProbeBoxView['heatmaps'];
  map: RepresentationView['canvas'];
  forecast(): ForecastView['plot'];
  /** The run as last received; the DOM catches up at the next render (see `painted`). */
  state(): RunState;
  /**
   * True when the DOM shows `state()`: no render is pending, and no chart or heatmap that a render
   * handed to the frame budget is still waiting for its frame (they draw up to several frames later).
   */
  painted(): boolean;
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
  private readonly gradientNorms = new GradientNormsView();
  private readonly heatmaps: ProbeHeatmapsView;
  private readonly gradientFlow: GradientFlowView;
  private readonly representation: RepresentationView;
  private readonly probeBox: ProbeBoxView;
  private readonly forecast: ForecastView;
  private readonly classification: ClassificationView;
  private readonly textGeneration: TextGenerationView;
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
    this.heatmaps = new ProbeHeatmapsView(actions);
    this.gradientFlow = new GradientFlowView(actions);
    this.probeBox = new ProbeBoxView(
      host.kind === 'panel' ? { probe: (requestId, text) => this.host.post({ type: 'probe', runId: this.state.runId, requestId, text }) } : {},
    );
    this.representation = new RepresentationView({ ...actions, openInProbe: (text) => this.probeBox.open(text) });
    this.forecast = new ForecastView(actions);
    this.classification = new ClassificationView(host.kind === 'panel' ? { ...actions, openInProbe: (text) => this.probeBox.open(text) } : actions);
    this.textGeneration = new TextGenerationView(
      host.kind === 'panel' ? { ...actions, generate: (requestId, settings) => this.host.post({ type: 'generate', runId: this.state.runId, requestId, settings }) } : actions,
    );
    root.append(
      el(
        'div',
        { className: 'seqlab' },
        this.header.element,
        this.curves.element,
        this.forecast.element,
        this.classification.element,
        this.textGeneration.element,
        this.gradientNorms.element,
        this.heatmaps.element,
        this.gradientFlow.element,
        this.representation.element,
        this.probeBox.element,
        this.summary.element,
      ),
    );
    window.__seqlab = {
      charts: this.curves.charts,
      heatmaps: this.heatmaps.heatmaps,
      flowCharts: this.gradientFlow.charts,
      gradNorms: () => this.gradientNorms.plot,
      probeHeatmaps: this.probeBox.heatmaps,
      map: this.representation.canvas,
      forecast: () => this.forecast.plot,
      state: () => this.state,
      painted: () => this.pendingRender === 0 && !hasPendingDraws(),
    };

    // The first frame shows the empty state ("Waiting for a run…"), never a blank page.
    this.render();
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
    this.gradientNorms.clear();
    this.heatmaps.clear();
    this.gradientFlow.clear();
    this.representation.clear();
    this.probeBox.clear();
    this.forecast.clear();
    this.classification.clear();
    this.textGeneration.clear();
    this.state = stateFromView(view);
    this.schedule(true);
  }

  /** Appends live events of the run on display, in order; events of another run are ignored. */
  apply(runId: string, events: readonly RunEvent[]): void {
    if (this.state.runId && runId !== this.state.runId) return;
    this.state = reduceAll(this.state, events);
    this.schedule();
  }

  /** A probe typed in the panel could not run. */
  probeFailed(runId: string, requestId: string, message: string): void {
    if (runId === this.state.runId) this.probeBox.failed(requestId, message);
  }

  /** A generation asked for in the panel could not run. */
  generationFailed(runId: string, requestId: string, message: string): void {
    if (runId === this.state.runId) this.textGeneration.failed(requestId, message);
  }

  /** Other runs on the same data, overlaid on the gradient flow. */
  showOverlays(runId: string, overlays: readonly RunOverlay[]): void {
    if (runId !== this.state.runId) return;
    this.gradientFlow.setOverlays(overlays);
    this.schedule(true);
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
    this.forecast.update(this.state, this.settings, this.theme, rebuild);
    this.classification.update(this.state, this.settings, this.theme);
    this.textGeneration.update(this.state, this.settings, this.theme);
    this.gradientNorms.update(this.state, this.theme, rebuild);
    this.heatmaps.update(this.state, this.settings, this.theme);
    this.gradientFlow.update(this.state, this.settings, this.theme, rebuild);
    this.representation.update(this.state, this.settings, this.theme);
    this.probeBox.update(this.state, this.theme);
    this.summary.update(this.state);
    if (this.restoreScroll) {
      this.restoreScroll = false;
      window.scrollTo(0, this.settings.scrollY);
    }
  }
}
