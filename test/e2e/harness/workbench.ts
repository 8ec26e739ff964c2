// Drives the VS Code workbench the way a person does: quick open, the command palette, themes.
// Selectors are VS Code 1.100's own DOM classes (stable across its releases for years).
import type { Frame, Page } from 'playwright-core';
import { delay, type CodeServer, type ColorTheme } from './codeServer';

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} input.input`;
const FOCUSED_ROW_LABEL = `${QUICK_INPUT} .monaco-list-row.focused .label-name`;

/** Opens the workbench on `folder` and waits until its explorer shows the folder. */
export async function openWorkbench(page: Page, server: CodeServer, folder: string): Promise<void> {
  await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view').waitFor({ timeout: 60_000 });
}

async function typeInQuickInput(page: Page, text: string): Promise<void> {
  await page.locator(QUICK_INPUT_BOX).waitFor({ state: 'visible' });
  await page.locator(QUICK_INPUT_BOX).fill(text);
}

/** Quick open (F1 with the `>` removed lists files): picks `fileName` and waits for its editor. */
export async function openFile(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('F1');
  await typeInQuickInput(page, fileName);
  await waitForFocusedRow(page, (label) => label === fileName, 30_000);
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab[aria-label^="${fileName}"]`).waitFor({ timeout: 30_000 });
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

/**
 * Runs a command from the palette by its full title ("Category: Title"). An extension's commands
 * appear only once its extension host has registered them, so the palette is reopened until the
 * command is the focused entry. Returns the time at which Enter was pressed.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('F1');
    await typeInQuickInput(page, `>${title}`);
    const found = await waitForFocusedRow(page, (label) => label === title, 3000).then(
      () => true,
      () => false,
    );
    if (found) {
      const pressedAt = Date.now();
      await page.keyboard.press('Enter');
      return pressedAt;
    }
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) throw new Error(`The command palette never offered "${title}".`);
    await delay(1000);
  }
}

async function waitForFocusedRow(page: Page, matches: (label: string) => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const label = await page
      .locator(FOCUSED_ROW_LABEL)
      .first()
      .textContent({ timeout: 500 })
      .catch(() => null);
    if (label !== null && matches(label.trim())) return;
    await delay(100);
  }
  throw new Error('No matching entry in the quick input.');
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

/** Switches the colour theme through the user settings file and waits for the workbench to apply it. */
export async function setColorTheme(page: Page, server: CodeServer, theme: ColorTheme): Promise<void> {
  server.writeSettings({ 'workbench.colorTheme': theme });
  const dark = theme.includes('Dark');
  await page.waitForFunction(
    (wantDark) => document.querySelector('.monaco-workbench')?.classList.contains('vs-dark') === wantDark,
    dark,
    { timeout: 30_000 },
  );
}
