// Drives the VS Code workbench the way a person does: quick open, the command palette, themes.
// Selectors are VS Code 1.100's own DOM classes (stable across its releases for years).
import type { Frame, Page } from 'playwright-core';
import { delay, type CodeServer, type ColorTheme } from './codeServer';

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} input.input`;
const ROW_LABEL = `${QUICK_INPUT} .monaco-list-row .label-name`;

/**
 * Opens the workbench on `folder` and waits until its explorer shows the folder and the configured
 * colour theme is applied (themes come from built-in extensions, a few seconds after first paint).
 */
export async function openWorkbench(page: Page, server: CodeServer, folder: string): Promise<void> {
  await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
  await page.locator('.explorer-folders-view').waitFor({ timeout: 60_000 });
  await page.locator('.monaco-workbench[class*="vscode-theme-"]').waitFor({ timeout: 60_000 });
}

async function typeInQuickInput(page: Page, text: string): Promise<void> {
  await page.locator(QUICK_INPUT_BOX).waitFor({ state: 'visible' });
  await page.locator(QUICK_INPUT_BOX).fill(text);
}

/** Quick open (F1 with the `>` removed lists files): picks `fileName` and waits for its editor. */
export async function openFile(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('F1');
  await typeInQuickInput(page, fileName);
  if (!(await pickEntry(page, fileName, 30_000))) throw new Error(`Quick open did not list ${fileName}.`);
  await page.locator(`.tabs-container .tab[aria-label^="${fileName}"]`).first().waitFor({ timeout: 30_000 }); // the file may also be open in another group
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

/** Moves the active editor's cursor to the start of `line` (1-based) through quick open's `:line`. */
export async function goToLine(page: Page, line: number): Promise<void> {
  await page.keyboard.press('F1');
  await typeInQuickInput(page, `:${line}`);
  await page.keyboard.press('Enter');
  await page.locator(QUICK_INPUT_BOX).waitFor({ state: 'hidden' });
}

/**
 * Runs a command from the palette by its full title ("Category: Title"). An extension's commands
 * appear only once its extension host has registered them, so the palette is reopened until the
 * command is listed. Returns the time at which the command was picked.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('F1');
    await typeInQuickInput(page, `>${title}`);
    let pickedAt = 0;
    if (await pickEntry(page, title, 3000, () => (pickedAt = Date.now()))) return pickedAt;
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) throw new Error(`The command palette never offered "${title}".`);
    await delay(1000);
  }
}

/**
 * Clicks the quick input entry labelled exactly `label` (fuzzy matching may rank others above it).
 * Returns false when no such entry appears within the timeout.
 */
async function pickEntry(page: Page, label: string, timeoutMs: number, beforeClick?: () => void): Promise<boolean> {
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const entry = page.locator(ROW_LABEL).filter({ hasText: exact }).first();
  try {
    await entry.waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    return false;
  }
  beforeClick?.();
  await entry.click();
  return true;
}

/**
 * Webviews are nested iframes (a host frame, then the content frame), on another origin: the only
 * reliable way to find one is by what it contains. Polls every frame of the page with `probe`.
 */
export async function findFrame(page: Page, probe: () => boolean, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (await frame.evaluate(probe).catch(() => false)) return frame;
    }
    await delay(100);
  }
  throw new Error(`No frame matched within ${timeoutMs / 1000} s.`);
}

/** Switches the colour theme as a person does: "Preferences: Color Theme", then the theme's name. */
export async function setColorTheme(page: Page, theme: ColorTheme): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  const label = theme.replace(/^Default /, '');
  await typeInQuickInput(page, label);
  if (!(await pickEntry(page, label, 10_000))) throw new Error(`The theme picker did not list ${label}.`);
  // The workbench root carries the theme kind as a class: `vs` (light) or `vs-dark`.
  await page.locator(`.monaco-workbench.${theme.includes('Dark') ? 'vs-dark' : 'vs'}`).waitFor({ timeout: 30_000 });
}

/** Closes notification toasts so that screenshots show the panel, not a toast over it. */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notification-toast').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
}
