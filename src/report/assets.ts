/** Reads the built webview bundle for the report (Node side: the CLI). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportAssets } from './html';

/** `distDir` is the folder holding webview.js and webview.css (the extension's/CLI's dist/). */
export function readReportAssets(distDir: string, title: string): ReportAssets {
  try {
    return {
      script: readFileSync(join(distDir, 'webview.js'), 'utf8'),
      style: readFileSync(join(distDir, 'webview.css'), 'utf8'),
      title,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`The report's webview bundle is missing from ${distDir} (${reason}). Run \`npm run build\` first.`, {
      cause: error,
    });
  }
}
