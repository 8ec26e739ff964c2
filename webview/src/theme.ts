/**
 * Colours come from VS Code's theme variables (the report defines the same variables itself). They
 * are read once per theme and re-read when VS Code swaps the body's theme class.
 */
import { paletteFor, type Rgb, type ThemeKind } from './colorScale';

export interface Theme {
  kind: ThemeKind;
  foreground: string;
  mutedForeground: string;
  grid: string;
  background: string;
  train: string;
  trainFaint: string;
  validation: string;
  /** Full CSS font for uPlot axes, e.g. `13px system-ui`. */
  font: string;
  fontFamily: string;
  heatmap: readonly Rgb[];
}

export function themeKind(body: HTMLElement = document.body): ThemeKind {
  // High-contrast light themes carry both classes; their palette needs light colours.
  if (body.classList.contains('vscode-high-contrast') && !body.classList.contains('vscode-high-contrast-light')) {
    return 'high-contrast';
  }
  return body.classList.contains('vscode-dark') ? 'dark' : 'light';
}

export function readTheme(): Theme {
  const style = getComputedStyle(document.body);
  const variable = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const kind = themeKind();
  const foreground = variable('--vscode-editor-foreground', kind === 'light' ? '#1f1f1f' : '#cccccc');
  const train = variable('--vscode-charts-blue', '#1a85ff');
  const fontSize = variable('--vscode-font-size', '12px');
  const fontFamily = variable('--vscode-font-family', 'system-ui, sans-serif');
  return {
    kind,
    foreground,
    mutedForeground: withAlpha(foreground, 0.7),
    grid: withAlpha(foreground, kind === 'high-contrast' ? 0.35 : 0.12),
    background: variable('--vscode-editor-background', kind === 'light' ? '#ffffff' : '#1e1e1e'),
    train,
    trainFaint: withAlpha(train, 0.3),
    validation: variable('--vscode-charts-orange', '#d18616'),
    font: `${fontSize} ${fontFamily}`,
    fontFamily,
    heatmap: paletteFor(kind),
  };
}

/** Calls `onChange` whenever VS Code (or the report's theme switch) changes the body's theme class. */
export function observeTheme(onChange: () => void): void {
  let last = `${themeKind()}`;
  new MutationObserver(() => {
    const now = themeKind();
    if (now !== last) {
      last = now;
      onChange();
    }
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

/** Any CSS colour to rgba with the given alpha, resolved by the browser (theme values vary in syntax). */
export function withAlpha(color: string, alpha: number): string {
  const probe = document.createElement('span');
  probe.style.color = color;
  document.body.append(probe);
  const resolved = getComputedStyle(probe).color;
  probe.remove();
  const match = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(resolved);
  return match ? `rgba(${match[1]}, ${match[2]}, ${match[3]}, ${alpha})` : color;
}
