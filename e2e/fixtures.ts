// Shared Playwright fixture: a test fails when the page or any of its workers
// logs a console error or throws an uncaught exception. Use
// `import { test, expect } from './fixtures'` in every spec.
import { test as base, expect, type ConsoleMessage, type Page } from '@playwright/test';

export interface ConsoleGuard {
  /** Errors seen so far (console.error, failed resource loads, uncaught exceptions). */
  errors: string[];
  /** Allow console errors matching `pattern` in this test (say why at the call site). */
  allow(pattern: RegExp): void;
}

function describe(msg: ConsoleMessage): string {
  const loc = msg.location();
  const where = loc.url ? ` (${loc.url}:${loc.lineNumber})` : '';
  return `${msg.worker() ? '[worker] ' : ''}console.${msg.type()}: ${msg.text()}${where}`;
}

export const test = base.extend<{ consoleGuard: ConsoleGuard }>({
  consoleGuard: [
    async ({ page }: { page: Page }, use, testInfo) => {
      const errors: string[] = [];
      const allowed: RegExp[] = [];
      const record = (text: string) => {
        if (!allowed.some((re) => re.test(text))) errors.push(text);
      };
      const onConsole = (msg: ConsoleMessage) => {
        if (msg.type() === 'error') record(describe(msg));
      };
      page.on('console', onConsole);
      // Worker consoles: page 'console' may already include them; duplicates do not matter.
      page.on('worker', (w) => w.on('console', onConsole));
      page.on('pageerror', (err) => record(`uncaught: ${err.stack ?? err.message}`));
      await use({ errors, allow: (re) => allowed.push(re) });
      if (errors.length) {
        await testInfo.attach('console-errors', { body: [...new Set(errors)].join('\n'), contentType: 'text/plain' });
      }
      expect([...new Set(errors)], 'console errors / uncaught exceptions during the test').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
