// A suite on a pool of training workers, in the real page: with 2 workers two
// runs train at once and every run's numbers equal the 1-worker numbers bit for
// bit; a worker that crashes is restarted and its run retried once, then
// reported in words, and the other runs keep their results.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

test.use({ viewport: { width: 1280, height: 800 } });

const WASM = encodeURIComponent(JSON.stringify({ backend: 'wasm' }));
const WORKER_SCRIPT = /training\.worker-[^/]*\.js$/;

/** The preset "MMoE vs CGC gate usage" (2 models) over seeds 1, 2: 4 runs of `steps` steps. */
async function openSuite(page: Page, steps: number) {
  await page.goto(`/#config=${WASM}`);
  await expect(page.getByTestId('backend-badge')).toContainText(/WASM/, { timeout: 60_000 });
  await page.getByRole('button', { name: 'MMoE vs CGC gate usage' }).click();
  await page.getByLabel('Steps', { exact: true }).fill(String(steps));
  await page.getByLabel('Seeds', { exact: true }).fill('1, 2');
}

/** Train the suite on `workers` workers and return its exported summary with the timing fields taken out. */
async function runSuite(page: Page, workers: number, whileRunning?: () => Promise<void>) {
  await page.getByLabel('Workers', { exact: true }).fill(String(workers));
  await page.getByRole('button', { name: 'Play' }).click();
  if (whileRunning) await whileRunning();
  await expect(page.getByTestId('run-phase')).toHaveText('done', { timeout: 180_000 });
  const json = page.waitForEvent('download', (d) => d.suggestedFilename().endsWith('-summary.json'));
  await page.getByRole('button', { name: 'Export suite summary' }).click();
  const summary = JSON.parse(readFileSync(await (await json).path(), 'utf8')) as { runs: { name: string; status: string }[] };
  return JSON.parse(JSON.stringify(summary, (k, v) => (k === 'wallSeconds' ? undefined : v))) as typeof summary;
}

test('2 workers train two runs at once and give the 1-worker numbers bit for bit', async ({ page }) => {
  test.setTimeout(300_000);
  await openSuite(page, 150);
  const one = await runSuite(page, 1);
  expect(one.runs).toHaveLength(4);

  const picker = page.getByLabel('Run shown');
  const two = await runSuite(page, 2, async () => {
    // The run picker marks the runs in training: two at a time on two workers.
    await expect(picker.locator('option', { hasText: '(training)' })).toHaveCount(2, { timeout: 60_000 });
    await expect(page.getByText(/2 runs training on 2 workers/)).toBeVisible();
  });
  expect(two.runs.map((r) => r.name)).toEqual(one.runs.map((r) => r.name));
  // Exact equality: metrics, losses, gate statistics, MTL gains and the per-variant means.
  expect(two).toEqual(one);
});

test('a worker that cannot start is restarted and its run retried: nothing is lost', async ({ page, consoleGuard }) => {
  test.setTimeout(240_000);
  // The second worker's first script load is cut off (the crash this test provokes); Chromium logs it.
  consoleGuard.allow(/Failed to load resource|net::ERR_FAILED|training\.worker/);
  let loads = 0;
  await page.route(WORKER_SCRIPT, (route) => (++loads === 2 ? route.abort('failed') : route.continue()));
  await openSuite(page, 40);
  const summary = await runSuite(page, 2);
  expect(loads).toBeGreaterThanOrEqual(3); // the first worker, the crashed one, its restart
  expect(summary.runs).toHaveLength(4);
  expect(summary.runs.every((r) => r.status === 'done')).toBe(true);
  await expect(page.getByTestId('suite-table')).not.toContainText('failed');
});

test('a run whose worker crashes twice is reported in words; the other runs keep their results', async ({ page, consoleGuard }) => {
  test.setTimeout(240_000);
  consoleGuard.allow(/Failed to load resource|net::ERR_FAILED|training\.worker/);
  let loads = 0;
  // Every worker after the first cannot load: the second worker crashes, restarts, crashes again.
  await page.route(WORKER_SCRIPT, (route) => (++loads >= 2 ? route.abort('failed') : route.continue()));
  await openSuite(page, 40);
  const summary = await runSuite(page, 2);
  expect(summary.runs).toHaveLength(3);
  expect(summary.runs.every((r) => r.status === 'done')).toBe(true);
  const table = page.getByTestId('suite-table');
  await expect(table.getByText(/failed: its training worker crashed 2 times/)).toHaveCount(1);
  await expect(page.getByText(/failed: its training worker crashed 2 times.*the other runs go on and keep theirs/)).toBeVisible();
  // The page stays usable: the first worker is fine.
  await expect(page.getByTestId('backend-badge')).not.toContainText('worker crashed');
});
