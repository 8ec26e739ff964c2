/**
 * The CLI's standalone HTML report: one self-contained file with the webview bundle, its CSS and the
 * run inlined, rendered by the same code as the VS Code panel. Opens from disk, offline, anywhere.
 */
import type { CompareView, RunView } from '../protocol';
import { REPORT_THEME_CSS } from './theme';

export interface ReportAssets {
  /** Contents of dist/webview.js. */
  script: string;
  /** Contents of dist/webview.css. */
  style: string;
  /** Page title, usually the run name. */
  title: string;
  /** Parts of the logs that could not be read (`readRun`'s problems), shown above the run. */
  problems?: readonly string[];
}

export function buildReportHtml(view: RunView, assets: ReportAssets): string {
  return reportPage('seqlab-run', view, assets);
}

/** The report of a comparison (`seqlab compare`): the same bundle, showing the compare view. */
export function buildCompareHtml(view: CompareView, assets: ReportAssets): string {
  return reportPage('seqlab-compare', view, assets);
}

/** The page: the bundle, its CSS, and the data it renders as JSON in the element `embeddedId`. */
function reportPage(embeddedId: 'seqlab-run' | 'seqlab-compare', content: RunView | CompareView, assets: ReportAssets): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Sequence Lab">
<title>${escapeHtml(assets.title)}</title>
<style>${escapeRawText(REPORT_THEME_CSS, 'style')}</style>
<style>${escapeRawText(assets.style, 'style')}</style>
</head>
<body class="vscode-light">
${problemsHtml(assets.problems ?? [])}<div id="seqlab-root"></div>
<script type="application/json" id="${embeddedId}">${embedJson(content)}</script>
<script>${escapeRawText(assets.script, 'script')}</script>
</body>
</html>
`;
}

function problemsHtml(problems: readonly string[]): string {
  if (problems.length === 0) return '';
  const items = problems.map((problem) => `<li>${escapeHtml(problem)}</li>`).join('');
  return `<div role="alert" style="margin:8px 16px;color:var(--vscode-errorForeground)">This run's logs are damaged; what follows leaves these lines out:<ul>${items}</ul></div>\n`;
}

/**
 * JSON that cannot end its <script> element early: `<`, `>` and `&` only occur inside JSON strings,
 * where their \u escapes mean the same. U+2028/2029 are escaped for older JavaScript parsers.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Script and style contents end at the first `</script` / `</style` whatever its context; in both
 * languages `<\/` inside a string means the same text. `<!--` would switch a script to an escaped state.
 */
export function escapeRawText(text: string, element: 'script' | 'style'): string {
  const closing = new RegExp(`</(${element})`, 'gi');
  const escaped = text.replace(closing, '<\\/$1');
  return element === 'script' ? escaped.replace(/<!--/g, '<\\!--') : escaped;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
