// Feature-selection gates in the real page (issue 16): a CGC with feature
// gates trains briefly on sparse task features (task A on dims 1–10, task B on
// 11–20); the Feature gates chart shows each gate's mean weight per input
// dimension with the |w_k| overlay and a correlation r per gate; the diagram
// draws the gates; the model picker has the checkbox with its sentence.
import { expect, test } from './fixtures';

test.use({ viewport: { width: 1280, height: 800 } });

const CONFIG = {
  backend: 'wasm',
  data: { tasks: [{ type: 'regression', name: 'A' }, { type: 'binary', name: 'B' }], inputDim: 40, featureSupport: 10, correlation: 0, nTrain: 4000, nVal: 200, nTest: 500 },
  model: { type: 'cgc', featureGates: true, specificExperts: 1, sharedExperts: 1, expertHidden: [16], towerHidden: [8] },
  train: { steps: 300, evalEvery: 100, batchSize: 128, learningRate: 0.01 },
};

test('CGC with feature gates: chart with |w_k| overlay and r per gate, diagram, picker', async ({ page }) => {
  await page.goto(`/#config=${encodeURIComponent(JSON.stringify(CONFIG))}`);
  await expect(page.getByTestId('backend-badge')).toContainText('WASM', { timeout: 60_000 });
  // The picker: the checkbox is on, with its one-sentence why.
  const check = page.getByTestId('feature-gates');
  await expect(check.getByRole('checkbox')).toBeChecked();
  await expect(check).toContainText('tasks can read different features');
  // The diagram draws one feature gate per task and one for the shared experts.
  await expect(page.getByTestId('chart-architecture').locator('rect.arch-feature-gate')).toHaveCount(3);

  await expect(page.getByTestId('chart-feature-gates')).toHaveCount(0);
  await page.getByRole('button', { name: 'Play' }).click();
  const card = page.getByTestId('chart-feature-gates');
  await expect(card).toBeVisible({ timeout: 90_000 });
  await card.scrollIntoViewIfNeeded();
  const svg = card.locator('svg.chart');
  await expect(svg.locator('g.fg-panel')).toHaveCount(3);
  await expect(svg.locator('path.fg-target')).toHaveCount(3);
  await expect(svg.locator('g.fg-panel').first().locator('rect.fg-bar')).toHaveCount(40);
  // The correlation number per gate, finite and in [−1, 1].
  const summary = await card.getByTestId('feature-gate-correlation').textContent();
  const rs = [...(summary ?? '').matchAll(/r = (−?-?\d\.\d\d)/g)].map((m) => Number(m[1].replace('−', '-')));
  expect(rs, summary ?? '').toHaveLength(3);
  for (const r of rs) expect(Math.abs(r)).toBeLessThanOrEqual(1);
  const titles = await svg.locator('text.fg-title').allTextContents();
  expect(titles[0]).toMatch(/^Feature gate A: r\(weight, \|w\|\) = /);
  expect(titles[2]).toMatch(/^Shared feature gate: r\(weight, mean \|w\|\) = /);
  // Text is at least 12 px.
  const sizes = await svg.locator('text').evaluateAll((ts) => ts.map((t) => parseFloat(getComputedStyle(t).fontSize)));
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12);
});
