import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, expect } from 'vitest';
import type { EmbeddedStack } from '../../functions/local/embedded-stack.js';

const UI_TIMEOUT_MS = 5_000;

/**
 * For a describe of officers console tests: the function that opens the console in a fresh tab. Each
 * tab is a browser context of its own (its own sessionStorage), 1440×1000 unless `options` say otherwise,
 * and keeps its page errors and console errors. The tabs close after each test; the browser and stack
 * `started` gives (once beforeAll has started them) close after all.
 */
export const useConsoleTabs = (
  started: () => { browser: Browser | undefined; stack: EmbeddedStack | undefined },
  options: BrowserContextOptions = {},
): (() => Promise<{ page: Page; errors: string[] }>) => {
  const contexts: BrowserContext[] = [];

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    const { browser, stack } = started();
    await browser?.close();
    await stack?.stop();
  });

  return async () => {
    const { browser, stack } = started();
    const context = await browser!.newContext({ viewport: { width: 1440, height: 1000 }, ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    // The officer confirms each outcome before it is recorded (test/e2e/console-outcome-confirmation.test.ts).
    page.on('dialog', (dialog) => dialog.accept());
    expect((await page.goto(`${stack!.apiUrl}/console`))?.status()).toBe(200);
    return { page, errors };
  };
};
