/**
 * Entry of dist/webview.js. Two homes, one rendering path:
 * - the CLI's HTML report embeds the run as `<script type="application/json" id="seqlab-run">`;
 * - the VS Code panel receives `reset` then `event` messages from the extension host.
 */
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import './views.css';
import './tasks.css';
import { isCompareView, isHostToWebview, isRunEvent, type RunView } from '../../src/protocol';
import type { ModelSummary } from '../../src/language/types';
import { App } from './app';
import { CompareApp } from './compareApp';
import { panelHost, reportHost } from './host';

const EMBEDDED_RUN_ID = 'seqlab-run';
const EMBEDDED_COMPARE_ID = 'seqlab-compare';
const ROOT_ID = 'seqlab-root';

function mountPoint(): HTMLElement {
  return document.getElementById(ROOT_ID) ?? document.body;
}

/** Keeps only well-formed events: the view comes from a file or another process. */
function sanitizeView(view: { runId?: unknown; runDir?: unknown; name?: unknown; untrained?: unknown; events: unknown[] }): RunView {
  const untrained = view.untrained as { errors?: unknown; summary?: unknown; description?: unknown } | undefined;
  return {
    runId: typeof view.runId === 'string' ? view.runId : '',
    runDir: typeof view.runDir === 'string' ? view.runDir : '',
    events: view.events.filter(isRunEvent),
    ...(typeof view.name === 'string' ? { name: view.name } : {}),
    ...(untrained && typeof untrained.errors === 'number'
      ? {
          untrained: {
            errors: untrained.errors,
            ...(isModelSummary(untrained.summary) ? { summary: untrained.summary } : {}),
            ...(typeof untrained.description === 'string' ? { description: untrained.description } : {}),
          },
        }
      : {}),
  };
}

function isModelSummary(value: unknown): value is ModelSummary {
  const summary = value as Partial<ModelSummary> | undefined;
  return typeof summary === 'object' && summary !== null && Array.isArray(summary.layers) && typeof summary.totalParams === 'number';
}

function startReport(embedded: HTMLElement): void {
  applyReportTheme(new URLSearchParams(location.search).get('theme'));
  const app = new App(mountPoint(), reportHost());
  const parsed: unknown = JSON.parse(embedded.textContent ?? '{}');
  const view = parsed as { events?: unknown };
  if (Array.isArray(view.events)) app.show(sanitizeView({ ...(parsed as object), events: view.events }));
}

function startCompareReport(embedded: HTMLElement): void {
  applyReportTheme(new URLSearchParams(location.search).get('theme'));
  const parsed: unknown = JSON.parse(embedded.textContent ?? '{}');
  if (isCompareView(parsed)) new CompareApp(mountPoint()).show(parsed);
}

/** The report follows the reader's colour scheme unless `?theme=light|dark|high-contrast` says otherwise. */
function applyReportTheme(requested: string | null): void {
  const dark = requested ? requested === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  const kind = requested === 'high-contrast' ? 'vscode-high-contrast' : dark ? 'vscode-dark' : 'vscode-light';
  document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
  document.body.classList.add(kind);
}

function startPanel(): void {
  const host = panelHost();
  const app = new App(mountPoint(), host);
  let compare: CompareApp | undefined;
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (!isHostToWebview(message)) return;
    switch (message.type) {
      case 'reset':
        app.show(sanitizeView(message.view));
        break;
      case 'event':
        app.apply(message.runId, [message.event]);
        break;
      case 'events':
        app.apply(message.runId, message.events);
        break;
      case 'theme':
        app.themeChanged();
        break;
      case 'probeFailed':
        app.probeFailed(message.runId, message.requestId, message.message);
        break;
      case 'generationFailed':
        app.generationFailed(message.runId, message.requestId, message.message);
        break;
      case 'compare':
        // A comparison panel: the page becomes the comparison for good.
        compare ??= new CompareApp(mountPoint());
        compare.show(message.view);
        break;
    }
  });
  host.post({ type: 'ready' });
}

const embedded = document.getElementById(EMBEDDED_RUN_ID);
const embeddedCompare = document.getElementById(EMBEDDED_COMPARE_ID);
if (embedded) startReport(embedded);
else if (embeddedCompare) startCompareReport(embeddedCompare);
else startPanel();
