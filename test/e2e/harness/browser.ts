// Headless Chromium for the workbench: Debian's build, driven by playwright-core (which never
// downloads a browser of its own here).
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env.SEQLAB_CHROMIUM ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
