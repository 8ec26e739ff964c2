/**
 * Where the panel lives: inside a VS Code webview (messages to the extension host, state kept by
 * VS Code across hide/reload) or in the standalone HTML report (no host; downloads instead).
 */
import type { WebviewToHost } from '../../src/protocol';

/** View settings that survive the panel being hidden or VS Code reloading. */
export interface ViewSettings {
  runId: string;
  /** EMA weight in [0, 0.99]. */
  smoothing: number;
  logScale: boolean;
  /** Snapshot epoch shown in the heatmaps; null follows the latest one as it arrives. */
  selectedEpoch: number | null;
  /** Gate heatmaps beside the hidden states. */
  showGates: boolean;
  scrollY: number;
}

export const DEFAULT_SETTINGS: ViewSettings = { runId: '', smoothing: 0.8, logScale: false, selectedEpoch: null, showGates: true, scrollY: 0 };

export interface Host {
  readonly kind: 'panel' | 'report';
  post(message: WebviewToHost): void;
  loadSettings(): ViewSettings;
  saveSettings(settings: ViewSettings): void;
  exportCsv(runId: string, csv: string): void;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  // Injected by VS Code into webviews; callable once per page.
  function acquireVsCodeApi(): VsCodeApi;
}

export function panelHost(): Host {
  const api = acquireVsCodeApi();
  return {
    kind: 'panel',
    post: (message) => api.postMessage(message),
    loadSettings: () => restoreSettings(api.getState()),
    saveSettings: (settings) => api.setState(settings),
    // A webview cannot download files; the host asks where to save.
    exportCsv: (runId, csv) => api.postMessage({ type: 'exportCsv', runId, csv } satisfies WebviewToHost),
  };
}

export function reportHost(): Host {
  let saved = DEFAULT_SETTINGS;
  return {
    kind: 'report',
    post: () => undefined,
    loadSettings: () => saved,
    saveSettings: (settings) => {
      saved = settings;
    },
    exportCsv: (runId, csv) => {
      const link = document.createElement('a');
      link.href = `data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`;
      link.download = `${runId || 'run'}.csv`;
      link.click();
    },
  };
}

/** getState() returns whatever an older version of the panel stored: keep only well-typed fields. */
function restoreSettings(stored: unknown): ViewSettings {
  if (typeof stored !== 'object' || stored === null) return DEFAULT_SETTINGS;
  const s = stored as Partial<Record<keyof ViewSettings, unknown>>;
  return {
    runId: typeof s.runId === 'string' ? s.runId : DEFAULT_SETTINGS.runId,
    smoothing: typeof s.smoothing === 'number' ? s.smoothing : DEFAULT_SETTINGS.smoothing,
    logScale: typeof s.logScale === 'boolean' ? s.logScale : DEFAULT_SETTINGS.logScale,
    selectedEpoch: typeof s.selectedEpoch === 'number' ? s.selectedEpoch : null,
    showGates: typeof s.showGates === 'boolean' ? s.showGates : DEFAULT_SETTINGS.showGates,
    scrollY: typeof s.scrollY === 'number' ? s.scrollY : 0,
  };
}
