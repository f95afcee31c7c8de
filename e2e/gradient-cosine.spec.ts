// Gradient conflict, live (issue 12): a preset runs a few hundred steps, the
// gradient-cosine chart fills with finite cosines in [−1, 1] (one line per
// task pair, zero marked), its SVG export parses, results.json carries
// gradientCosine and gradientConflict, and no console error is logged.
import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';

test.use({ viewport: { width: 1280, height: 800 } });

const WASM = encodeURIComponent(JSON.stringify({ backend: 'wasm' }));

test('PLE preset: the gradient-cosine chart fills with finite cosines in [−1, 1]; exports parse', async ({ page }) => {
  await page.goto(`/#config=${WASM}`);
  await expect(page.getByTestId('backend-badge')).toContainText('WASM', { timeout: 60_000 });
  await page.getByRole('button', { name: 'PLE on two tasks' }).click();
  await page.getByLabel('Steps', { exact: true }).fill('400');
  const card = page.getByTestId('chart-gradcos');
  await expect(card).toBeVisible();
  await page.getByRole('button', { name: 'Play' }).click();
  // Live: the line draws while training.
  await expect(card.locator('path.gradcos-line').first()).toHaveAttribute('d', /^M/, { timeout: 60_000 });
  await expect(page.getByTestId('run-phase')).toHaveText('done', { timeout: 120_000 });

  // One line per pair (2 tasks: one), the zero line, a legend with the pair's name; all finite.
  await expect(card.locator('path.gradcos-line')).toHaveCount(1);
  await expect(card.locator('line.gradcos-zero')).toHaveCount(1);
  await expect(card.locator('g.gradcos-legend')).toContainText('Task 1 × Task 2');
  const geo = await card.locator('svg.chart').evaluate((svg) => ({
    text: svg.textContent ?? '',
    d: svg.querySelector('path.gradcos-line')!.getAttribute('d') ?? '',
    minFont: Math.min(...[...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize))),
  }));
  expect(geo.text).not.toMatch(/NaN|Infinity/);
  expect(geo.d).not.toMatch(/NaN|Infinity/);
  expect(geo.minFont).toBeGreaterThanOrEqual(12);
  expect(geo.d.split(/[ML]/).filter(Boolean).length).toBeGreaterThan(4);
  await expect(card.locator('h3')).toHaveAttribute('title', /opposite directions/);

  const download = async (name: string | RegExp) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
    return { name: d.suggestedFilename(), body: await readFile((await d.path())!) };
  };
  const svgFile = await download('Download Gradient conflict as SVG');
  expect(svgFile.name).toMatch(/\.svg$/);
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { error: doc.querySelector('parsererror') !== null, lines: doc.querySelectorAll('path.gradcos-line').length };
  }, svgFile.body.toString('utf8'));
  expect(parsed).toEqual({ error: false, lines: 1 });
  const png = await download('Download Gradient conflict as PNG');
  expect(png.body.subarray(1, 4).toString('latin1')).toBe('PNG');

  const results = JSON.parse((await download('Export results JSON')).body.toString('utf8'));
  expect(results.gradientCosine.length).toBeGreaterThan(4);
  for (const p of results.gradientCosine) {
    expect(Number.isInteger(p.step)).toBe(true);
    expect(p.pairs.map((q: { a: number; b: number }) => [q.a, q.b])).toEqual([[0, 1]]);
    for (const q of p.pairs) {
      expect(Number.isFinite(q.cos)).toBe(true);
      expect(Math.abs(q.cos)).toBeLessThanOrEqual(1);
    }
  }
  const [c] = results.gradientConflict;
  expect(c.a).toBe(0);
  expect(c.b).toBe(1);
  expect(c.negativeFraction).toBeGreaterThanOrEqual(0);
  expect(c.negativeFraction).toBeLessThanOrEqual(1);
  expect(Math.abs(c.meanCos)).toBeLessThanOrEqual(1);
});

test('single-task: the chart says nothing is shared instead of drawing', async ({ page }) => {
  const cfg = { backend: 'wasm', model: { type: 'single-task' }, data: { nTrain: 1000, nVal: 200, nTest: 200 }, train: { steps: 60, evalEvery: 30 } };
  await page.goto(`/#config=${encodeURIComponent(JSON.stringify(cfg))}`);
  await expect(page.getByTestId('backend-badge')).toContainText('WASM', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('run-phase')).toHaveText('done', { timeout: 90_000 });
  const card = page.getByTestId('chart-gradcos');
  await expect(card.locator('text.gradcos-empty')).toHaveText(/Nothing is shared/);
  await expect(card.locator('path.gradcos-line')).toHaveCount(0);
});
