import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium (LOCAL-AWS.md): test tools cannot download a browser of their own here. */
const CHROMIUM = '/usr/bin/chromium';
const INSTALL_CHROMIUM = 'apt-get update && apt-get install -y chromium';
/**
 * The flags this machine needs (.library/env/machines/node.md): without the background-networking
 * ones Chromium keeps dialling Google through a closed network. Playwright gives every launch a new,
 * empty profile of its own (its --user-data-dir), removed when the browser closes.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches the console's test browser, or says how to install it. */
export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}; the console's browser tests need Debian's package: ` +
        `${INSTALL_CHROMIUM} (as root; .ci/run does this before npm test)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
};
