/**
 * The only module that knows about @vscode/webview-ui-toolkit (deprecated upstream). Views build
 * controls through these factories, so moving to @vscode-elements/elements changes this file alone.
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';

// Not vscode-tag: its template carries a style attribute, which a strict CSP reports as a violation.
provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeProgressRing());

export function button(label: string, onClick: () => void, appearance: 'primary' | 'secondary' = 'primary'): HTMLElement {
  const element = document.createElement('vscode-button');
  element.setAttribute('appearance', appearance);
  element.textContent = label;
  element.addEventListener('click', onClick);
  return element;
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void): HTMLElement {
  const element = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  element.textContent = label;
  element.checked = checked;
  element.addEventListener('change', () => onChange(element.checked));
  return element;
}

export function setChecked(element: HTMLElement, checked: boolean): void {
  (element as HTMLElement & { checked: boolean }).checked = checked;
}

export function progressRing(): HTMLElement {
  return document.createElement('vscode-progress-ring');
}
