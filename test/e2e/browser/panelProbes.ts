// Functions evaluated INSIDE the panel's webview frame (playwright serialises each one on its own, so
// each is self-contained). They read what the panel exposes for tests, `window.__seqlab` (see
// webview/src/app.ts: uPlot instances and heatmap canvases), and the charts' `data-points` attributes.
// The project compiles without the DOM library, so the few browser shapes used are declared here.

interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

interface PanelWindow {
  __seqlab?: {
    charts: Record<string, { data: (number | null | undefined)[][] }>;
    heatmaps: Record<string, CanvasLike>;
    state(): { status: string; name?: string; untrained?: unknown; error?: { kind: string; message: string } };
    painted(): boolean;
  };
  document: {
    querySelectorAll(selector: string): Iterable<{ dataset: Record<string, string | undefined> }>;
    body: { classList: { contains(name: string): boolean } };
  };
  requestAnimationFrame(callback: () => void): number;
}

export interface CurveReport {
  quantities: string[];
  /** Finite points per quantity over all of its series (uPlot's data, x axis excluded). */
  points: Record<string, number>;
  /** The `data-points` attribute of each chart body, as the DOM shows it. */
  attributePoints: Record<string, number>;
}

export interface HeatmapReport {
  key: string;
  width: number;
  height: number;
  /** Fraction of fully opaque pixels: the cells (the canvas is transparent elsewhere). */
  paintedFraction: number;
  /** Distinct opaque colours, quantised to 4 bits per channel. */
  distinctColours: number;
}

export function isSeqlabPanel(): boolean {
  return typeof (globalThis as unknown as PanelWindow).__seqlab === 'object';
}

export function hasFirstCurvePoint(): boolean {
  const { document } = globalThis as unknown as PanelWindow;
  for (const body of document.querySelectorAll('[data-quantity][data-points]')) {
    if (Number(body.dataset.points) > 0) return true;
  }
  return false;
}

/** True once a curve has a point or the run has ended without one (e.g. it failed first). */
export function hasFirstCurvePointOrEnded(): boolean {
  const panel = globalThis as unknown as PanelWindow;
  for (const body of panel.document.querySelectorAll('[data-quantity][data-points]')) {
    if (Number(body.dataset.points) > 0) return true;
  }
  const status = panel.__seqlab?.state().status;
  return status !== undefined && status !== 'running' && panel.__seqlab?.painted() === true;
}

export function runStatus(): string {
  return (globalThis as unknown as PanelWindow).__seqlab?.state().status ?? 'absent';
}

/** The failed run's message as the panel shows it ('' while none), so a failing test says why. */
export function runError(): string {
  const error = (globalThis as unknown as PanelWindow).__seqlab?.state().error;
  return error ? `${error.kind}: ${error.message}` : '';
}

/** True once the run has ended and the panel's DOM shows its end (the state leads the DOM by a render and its draws). */
export function runFinished(): boolean {
  const seqlab = (globalThis as unknown as PanelWindow).__seqlab;
  const status = seqlab?.state().status;
  return status !== undefined && status !== 'running' && seqlab?.painted() === true;
}

/** True once the panel has the dark theme and has redrawn for it (charts and heatmaps included). */
export function isDarkThemePainted(): boolean {
  const panel = globalThis as unknown as PanelWindow;
  return panel.document.body.classList.contains('vscode-dark') && panel.__seqlab?.painted() === true;
}

/** True when the panel's DOM, charts and heatmaps show its state: no render and no draw is pending. */
export function isPainted(): boolean {
  return (globalThis as unknown as PanelWindow).__seqlab?.painted() === true;
}

/** Resolves after two animation frames: the panel redraws at most once per frame. */
export function nextFrames(): Promise<void> {
  const panel = globalThis as unknown as PanelWindow;
  return new Promise((resolve) => panel.requestAnimationFrame(() => panel.requestAnimationFrame(resolve)));
}

export function readCurves(): CurveReport {
  const panel = globalThis as unknown as PanelWindow;
  const points: Record<string, number> = {};
  for (const [quantity, chart] of Object.entries(panel.__seqlab?.charts ?? {})) {
    points[quantity] = chart.data
      .slice(1)
      .reduce((sum, series) => sum + series.filter((v) => typeof v === 'number' && Number.isFinite(v)).length, 0);
  }
  const attributePoints: Record<string, number> = {};
  for (const body of panel.document.querySelectorAll('[data-quantity][data-points]')) {
    attributePoints[body.dataset.quantity ?? ''] = Number(body.dataset.points);
  }
  return { quantities: Object.keys(panel.__seqlab?.charts ?? {}), points, attributePoints };
}

export function readHeatmaps(): HeatmapReport[] {
  const panel = globalThis as unknown as PanelWindow;
  return Object.entries(panel.__seqlab?.heatmaps ?? {}).map(([key, canvas]) => {
    const { width, height } = canvas;
    const context = canvas.getContext('2d');
    if (!context || width === 0 || height === 0) return { key, width, height, paintedFraction: 0, distinctColours: 0 };
    const pixels = context.getImageData(0, 0, width, height).data;
    let painted = 0;
    const colours = new Set<number>();
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i + 3] !== 255) continue;
      painted++;
      colours.add(((pixels[i] >> 4) << 8) | ((pixels[i + 1] >> 4) << 4) | (pixels[i + 2] >> 4));
    }
    return { key, width, height, paintedFraction: painted / (width * height), distinctColours: colours.size };
  });
}

/** Scrolls the panel to its hidden-state heatmaps (`top: false`) or back to the header (`top: true`). */
export function scrollPanel(top: boolean): Promise<void> {
  const panel = globalThis as unknown as PanelWindow & {
    scrollTo(x: number, y: number): void;
    document: { querySelector(selector: string): { scrollIntoView(): void } | null };
  };
  if (top) panel.scrollTo(0, 0);
  else panel.document.querySelector('.hidden-states')?.scrollIntoView();
  return new Promise((resolve) => panel.requestAnimationFrame(() => panel.requestAnimationFrame(resolve)));
}

/** The heading the panel shows: the spec's name (never a run id). */
export function runTitle(): string {
  const { document } = globalThis as unknown as { document: { querySelector(selector: string): { textContent: string | null } | null } };
  return document.querySelector('.run-title')?.textContent ?? '';
}

/** Everything the panel shows as text, as a reader sees it. */
export function panelText(): string {
  return (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText;
}

/** Whether the probe box refuses input (no model to answer yet); undefined when there is no box. */
export function probeInputDisabled(): boolean | undefined {
  const doc = (globalThis as unknown as { document: { querySelector(selector: string): { disabled: boolean } | null } }).document;
  return doc.querySelector('.probe-box .probe-input')?.disabled;
}

/** True in a panel that shows a spec never trained (Open Panel before any run). */
export function isUntrainedPanel(): boolean {
  const seqlab = (globalThis as unknown as PanelWindow).__seqlab;
  return seqlab?.state().untrained !== undefined && seqlab.painted();
}

export interface LayoutReport {
  scrollWidth: number;
  clientWidth: number;
  /** Elements of each checked kind found (a check that matched nothing would prove nothing). */
  found: Record<string, number>;
  /** Elements that stick out of the panel or clip their own content. */
  cut: string[];
}

/**
 * Whether the panel fits its width: the page does not scroll sideways, and the parts people read
 * (title, progress, curve legends, the parameter column, the run table, the epoch label) are
 * neither pushed past the right edge nor clipped inside their box.
 */
export function layoutReport(): LayoutReport {
  interface Box {
    className: string;
    scrollWidth: number;
    clientWidth: number;
    getBoundingClientRect(): { left: number; right: number };
  }
  const { document } = globalThis as unknown as {
    document: { scrollingElement: { scrollWidth: number; clientWidth: number }; querySelectorAll(selector: string): Iterable<Box> };
  };
  const page = document.scrollingElement;
  const checks: Record<string, string> = {
    'run title': '.run-title',
    'progress text': '.progress-text',
    'curve legend': '.chart-body .u-legend',
    'parameter column': '.layer-table td.num, .layer-table th:last-child',
    'run table': '.kv-table',
    'epoch label': '.epoch-slider .slider-value',
  };
  const found: Record<string, number> = {};
  const cut: string[] = [];
  for (const [name, selector] of Object.entries(checks)) {
    found[name] = 0;
    for (const element of document.querySelectorAll(selector)) {
      found[name]++;
      const box = element.getBoundingClientRect();
      if (box.right > page.clientWidth + 0.5 || box.left < -0.5) cut.push(`${name}: spans ${Math.round(box.left)}-${Math.round(box.right)} of ${page.clientWidth} px`);
      else if (element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 1) cut.push(`${name}: ${element.scrollWidth} px of content in ${element.clientWidth} px`);
    }
  }
  return { scrollWidth: page.scrollWidth, clientWidth: page.clientWidth, found, cut };
}

/** Scrolls the panel so that the element matching `selector` is at the top. */
export function scrollTo(selector: string): Promise<void> {
  const panel = globalThis as unknown as PanelWindow & { document: { querySelector(selector: string): { scrollIntoView(): void } | null } };
  panel.document.querySelector(selector)?.scrollIntoView();
  return new Promise((resolve) => panel.requestAnimationFrame(() => panel.requestAnimationFrame(resolve)));
}
