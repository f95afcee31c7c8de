// The seesaw as a trade-off curve (issue 12, part 1) in the real page: a link
// sets the weight ratios, the suite box picks the models and states the run
// count, the suite trains, the trade-off chart has one curve per model with
// finite points, its SVG export parses, and the grid round-trips in the hash.
import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';

test.use({ viewport: { width: 1280, height: 800 } });

const WASM = encodeURIComponent(JSON.stringify({ backend: 'wasm' }));

test('trade-off suite: 2 ratios × 2 models, one curve per model, export parses', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await page.goto(`/#preset=seesaw-tradeoff&ratios=0.2,0.8&config=${WASM}`);
  await expect(page.getByTestId('backend-badge')).toContainText('WASM', { timeout: 60_000 });
  const ratios = page.getByLabel('Weight ratios ω_A share');
  await expect(ratios).toHaveValue('0.2, 0.8');
  const grid = page.getByTestId('tradeoff-grid');
  await expect(page.getByTestId('tradeoff-run-count')).toHaveText('4 models × 2 ratios + 1 baseline = 9 runs per seed.');

  // A readable message for an invalid field, and Play says why it is disabled.
  await ratios.fill('0.2, 1.5');
  await expect(grid.getByRole('alert')).toContainText('1.5 is not strictly between 0 and 1');
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled();
  await ratios.fill('0.2, 0.8');

  // Two models: MMoE and PLE.
  await grid.getByLabel('Shared-Bottom').uncheck();
  await grid.getByLabel('CGC', { exact: true }).uncheck();
  await expect(page.getByTestId('tradeoff-run-count')).toHaveText('2 models × 2 ratios + 1 baseline = 5 runs per seed.');
  await page.getByLabel('Steps', { exact: true }).fill('40');
  await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash))).toContain('ratios=0.2,0.8');
  expect(await page.evaluate(() => decodeURIComponent(location.hash))).toContain('models=mmoe,ple');

  const card = page.getByTestId('chart-tradeoff');
  await expect(card).toBeVisible();
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('run-phase')).toHaveText('done', { timeout: 180_000 });

  const svg = card.locator('svg.chart');
  await expect(svg.locator('path.tradeoff-curve')).toHaveCount(2);
  const models = await svg.locator('g.tradeoff-model').evaluateAll((gs) =>
    gs.map((g) => ({
      model: g.getAttribute('data-model'),
      points: [...g.querySelectorAll('circle.tradeoff-point')].map((c) => [Number(c.getAttribute('data-ratio')), Number(c.getAttribute('data-gain-a')), Number(c.getAttribute('data-gain-b')), Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))]),
    })),
  );
  expect(models.map((m) => m.model).sort()).toEqual(['mmoe', 'ple']);
  for (const m of models) {
    expect(m.points.map((p) => p[0])).toEqual([0.2, 0.8]);
    for (const p of m.points) for (const v of p) expect(Number.isFinite(v), `${m.model} ${p}`).toBe(true);
  }
  await expect(svg.locator('.tradeoff-legend-item')).toHaveCount(2);
  await expect(svg).toContainText(/MMoE · [\d,]+ params/);
  await expect(svg).toContainText('at the origin: Single-task');

  const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'Download Trade-off curve as SVG' }).click()]);
  const text = await readFile((await download.path())!, 'utf8');
  const parsed = await page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    return { error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.nodeName, curves: doc.querySelectorAll('path.tradeoff-curve').length };
  }, text);
  expect(parsed).toEqual({ error: null, root: 'svg', curves: 2 });

  await card.scrollIntoViewIfNeeded();
  const shot = testInfo.outputPath('tradeoff-chart.png');
  await card.screenshot({ path: shot });
  await testInfo.attach('tradeoff-chart', { path: shot, contentType: 'image/png' });
  await page.screenshot({ path: testInfo.outputPath('tradeoff-page.png') });
});

test('an invalid ratio in the link is named, and the preset loads with its own ratios', async ({ page }) => {
  await page.goto(`/#preset=seesaw-tradeoff&ratios=0.2,1.5&config=${WASM}`);
  await expect(page.getByTestId('notice').filter({ hasText: 'weight ratios "0.2,1.5" are invalid' })).toContainText('1.5 is not strictly between 0 and 1');
  await expect(page.getByLabel('Weight ratios ω_A share')).toHaveValue('0.1, 0.233, 0.367, 0.5, 0.633, 0.767, 0.9');
  await expect(page.getByTestId('tradeoff-run-count')).toHaveText('4 models × 7 ratios + 1 baseline = 29 runs per seed.');
});
