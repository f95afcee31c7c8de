// Issue 13, item 2: chart text is ≥ 12 px on screen and no two text boxes of
// a chart intersect, in every chart of every preset after training, and for a
// PLE on 2 to 6 tasks (task captions, legends and gate ticks grow with K).
import { PRESETS } from '../src/core/config/presets';
import { measureChartText, textProblems } from './chart-text';
import { expect, test } from './fixtures';
import { playToEnd, shortUrl, waitReady } from './short-run';

test.use({ viewport: { width: 1280, height: 800 } });

async function expectLegible(page: import('@playwright/test').Page, minCharts: number) {
  const reports = await measureChartText(page);
  // Not vacuous: the charts are there, and each one measured holds text.
  expect(reports.length, `charts measured: ${reports.map((r) => r.chart).join(', ')}`).toBeGreaterThanOrEqual(minCharts);
  expect(textProblems(reports)).toEqual([]);
}

for (const p of PRESETS) {
  test(`chart text is legible and never collides: preset ${p.id}`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto(shortUrl(p.id));
    await waitReady(page);
    await playToEnd(page);
    await expectLegible(page, 4);
  });
}

for (const k of [2, 3, 4, 5, 6]) {
  test(`chart text is legible and never collides: PLE on ${k} tasks`, async ({ page }) => {
    test.setTimeout(180_000);
    const tasks = Array.from({ length: k }, (_, i) => ({ type: i % 2 ? 'binary' : 'regression', name: `task ${i + 1}` }));
    await page.goto(shortUrl('ple', { data: { tasks, inputDim: 100, nTrain: 4000 } }));
    await waitReady(page);
    await playToEnd(page);
    await expectLegible(page, 4);
  });
}
