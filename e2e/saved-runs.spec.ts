// Issue 13 items 4 and 5: a saved suite re-opens with all its charts and no
// retraining; the fields, the diagram and the run picker show the same run;
// export offers every run; a full storage quota is said in words and loses nothing.
import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';
import { waitReady } from './i13-helpers';

test.use({ viewport: { width: 1280, height: 800 } });

const SUITE = `/#preset=mmoe-vs-cgc&seeds=1&config=${encodeURIComponent(JSON.stringify({ backend: 'wasm', train: { steps: 30 } }))}`;

test('a saved suite re-opens with every chart, the run picker, fields and diagram agree, export offers each run; a full quota is reported', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(SUITE);
  await waitReady(page);
  await expect(page.getByTestId('plan-count')).toHaveText('2 models × 1 seed = 2 runs');
  await page.getByRole('button', { name: 'Play' }).click();
  // The time left is a smoothed range, never a single falsely precise number.
  await expect(page.getByTestId('eta')).toHaveText(/^(about \d+(–\d+)? (s|min) left|under \d+ min left|estimating time left…|done)$/);
  await expect(page.getByTestId('run-phase')).toHaveText('done', { timeout: 150_000 });
  await expect(page.getByTestId('saved-run')).toHaveCount(1);

  // After the suite, the fields, the diagram and the picker all show the last run (CGC) ...
  const picker = page.getByLabel('Run shown');
  const model = page.getByLabel('Model', { exact: true });
  await expect(model).toHaveValue('cgc');
  // ... and picking the first run moves all three to MMoE.
  await picker.selectOption({ index: 1 });
  await expect(model).toHaveValue('mmoe');
  await expect(page.getByTestId('chart-architecture')).toContainText('MMoE');

  // Reload: nothing to lose (done), no prompt; re-open the saved suite.
  await page.reload();
  await waitReady(page);
  await expect(page.getByTestId('chart-curves').locator('path.curve-train')).toHaveCount(0);
  await page.getByRole('button', { name: /^Open saved run / }).click();
  await expect(page.getByTestId('notice').filter({ hasText: 'Re-opened' })).toContainText('(2 runs) from the saved runs: the charts are drawn from what was saved, nothing was retrained.');
  await expect(page.getByTestId('run-phase')).toHaveText('done');
  await expect(page.getByTestId('step-counter')).toHaveText('30');
  await expect(page.getByTestId('chart-curves').locator('path.curve-train').first()).toHaveAttribute('d', /^M/);
  await expect(page.getByTestId('chart-utilisation').locator('rect').first()).toBeVisible();
  await expect(page.getByTestId('chart-timeline').locator('path.timeline-band').first()).toHaveAttribute('d', /^M/);
  await expect(model).toHaveValue('cgc');
  await expect(picker.locator('option')).toHaveCount(3);
  await picker.selectOption({ index: 1 });
  await expect(model).toHaveValue('mmoe');
  await expect(page.getByTestId('chart-architecture')).toContainText('MMoE');

  // Export offers every run: the first run's results from the re-opened suite.
  const runToExport = page.getByLabel('Run to export');
  await expect(runToExport.locator('option')).toHaveCount(2);
  await runToExport.selectOption({ index: 0 });
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export results JSON' }).click()]);
  expect(d.suggestedFilename()).toMatch(/mmoe.*-results\.json$/);
  const json = JSON.parse(await readFile((await d.path())!, 'utf8'));
  expect(json.model).toBe('mmoe');
  expect(json.steps).toBe(30);
  // The model weights are not kept for a re-opened run: that export says so by being disabled.
  await expect(page.getByRole('button', { name: 'Export model JSON' })).toBeDisabled();

  // A full quota: the new run is not saved, the page says why in words, the saved suite stays.
  await page.evaluate(() => {
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await page.getByLabel('Steps', { exact: true }).fill('5');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('run-phase')).toHaveText('done', { timeout: 120_000 });
  await expect(page.getByTestId('notice').filter({ hasText: 'storage for this page is full' })).toContainText('The runs saved before are kept.');
  await expect(page.getByTestId('saved-run')).toHaveCount(1);
  await expect(page.getByRole('button', { name: /^Save “.*” again$/ })).toBeVisible();
});
