// A training worker that cannot start, in the real page: the page says so,
// keeps the config, refuses to Play, and "Restart worker" recovers.
import { expect, test } from './fixtures';

test.use({ viewport: { width: 1280, height: 800 } });

test('a crashed training worker: a clear message, the config kept, Restart worker recovers', async ({ page, consoleGuard }) => {
  // The first worker script load is cut off (a deploy that lost a chunk, a
  // flaky network): that is the crash this test provokes. Chromium logs the
  // failed load; nothing else may log an error.
  consoleGuard.allow(/Failed to load resource|net::ERR_FAILED|training\.worker/);
  let blocked = true;
  await page.route(/training\.worker-[^/]*\.js$/, (route) => (blocked ? route.abort('failed') : route.continue()));

  const config = encodeURIComponent(JSON.stringify({ backend: 'wasm', train: { steps: 40 } }));
  await page.goto(`/#config=${config}`);
  const banner = page.getByTestId('worker-error');
  await expect(banner).toContainText('The training worker crashed', { timeout: 30_000 });
  await expect(banner).toContainText('Your config is kept');
  await expect(page.getByTestId('backend-badge')).toContainText('worker crashed');
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled();
  // The config from the link survived the crash.
  await expect(page.getByLabel('Steps', { exact: true })).toHaveValue('40');

  blocked = false;
  await page.getByRole('button', { name: 'Restart worker' }).click();
  await expect(page.getByTestId('backend-badge')).toContainText('WASM', { timeout: 60_000 });
  await expect(banner).toHaveCount(0);
  await expect(page.getByLabel('Steps', { exact: true })).toHaveValue('40');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('run-phase')).toHaveText('done', { timeout: 90_000 });
  await expect(page.getByTestId('step-counter')).toHaveText('40');
});
