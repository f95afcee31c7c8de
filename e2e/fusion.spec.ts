// Score fusion in the real page (issue 16): after a short run, the Score
// fusion panel scores each task's test labels under the fused ranking; moving
// a slider changes the AUC / rank-correlation numbers and the top-20 overlap;
// the CSV downloads and parses.
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

test.use({ viewport: { width: 1280, height: 800 } });

const CONFIG = {
  backend: 'wasm',
  data: { tasks: [{ type: 'regression', name: 'A' }, { type: 'binary', name: 'B' }], correlation: 0.2, inputDim: 20, nTrain: 4000, nVal: 200, nTest: 800 },
  model: { type: 'mmoe', sharedExperts: 2, expertHidden: [16], towerHidden: [8] },
  train: { steps: 200, evalEvery: 100, batchSize: 128, learningRate: 0.01 },
};

async function table(page: Page) {
  const rows = page.getByTestId('fusion-table').locator('tbody tr');
  const n = await rows.count();
  const out: { additive: number; multiplicative: number; own: number; metric: string }[] = [];
  for (let i = 0; i < n; i++) {
    const cells = await rows.nth(i).locator('td').allTextContents();
    out.push({ metric: cells[0], own: Number(cells[1]), additive: Number(cells[2]), multiplicative: Number(cells[3]) });
  }
  return out;
}
const shared = async (page: Page) => Number((await page.getByTestId('fusion-overlap').locator('strong').textContent()) ?? NaN);

test('fusion panel: sliders move the fused AUC / rank correlation and the top-20 overlap; CSV parses', async ({ page }) => {
  await page.goto(`/#config=${encodeURIComponent(JSON.stringify(CONFIG))}`);
  await expect(page.getByTestId('backend-badge')).toContainText('WASM', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Play' }).click();
  const card = page.getByTestId('chart-fusion');
  await expect(card).toBeVisible({ timeout: 90_000 });
  await card.scrollIntoViewIfNeeded();
  await expect(card).toContainText('percentile');

  const even = await table(page);
  expect(even.map((r) => r.metric)).toEqual(['rank corr.', 'AUC']);
  for (const r of even) for (const v of [r.own, r.additive, r.multiplicative]) expect(Number.isFinite(v)).toBe(true);
  const evenShared = await shared(page);
  expect(evenShared).toBeGreaterThanOrEqual(0);
  expect(evenShared).toBeLessThanOrEqual(20);

  // All weight on A: both fusions rank by A alone: A's fused metric is its own, and the top 20 coincide.
  await card.getByLabel('Fusion weight of B').fill('0');
  await expect(card.getByTestId('fusion-weight-1')).toHaveText('0.0');
  const onlyA = await table(page);
  expect(onlyA[0].additive).toBeCloseTo(onlyA[0].own, 3);
  expect(onlyA[0].multiplicative).toBeCloseTo(onlyA[0].own, 3);
  expect(await shared(page)).toBe(20);
  // B's AUC under A's ranking differs from B's AUC under the even fusion: the seesaw at serving time.
  expect(onlyA[1].additive).not.toBe(even[1].additive);

  // Mostly B: B's fused AUC rises towards its own, A's rank correlation falls.
  await card.getByLabel('Fusion weight of B').fill('3');
  await card.getByLabel('Fusion weight of A').fill('0.1');
  await expect(card.getByTestId('fusion-weight-0')).toHaveText('0.1');
  const mostlyB = await table(page);
  expect(mostlyB[1].additive).toBeGreaterThan(onlyA[1].additive);
  expect(mostlyB[0].additive).toBeLessThan(onlyA[0].additive);

  // CSV of the current table.
  const [d] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'Download fusion CSV' }).click()]);
  expect(d.suggestedFilename()).toMatch(/fusion\.csv$/);
  const lines = (await readFile((await d.path())!, 'utf8')).trim().split('\n');
  expect(lines[0]).toBe('task,name,type,metric,weight,own,additive,multiplicative,top_k,top_k_shared');
  expect(lines).toHaveLength(3);
  const row = (i: number) => lines[i].split(',');
  expect(row(1).slice(0, 5)).toEqual(['1', 'A', 'regression', 'spearman', '0.1']);
  expect(row(2).slice(0, 5)).toEqual(['2', 'B', 'binary', 'auc', '3']);
  expect(Number(row(2)[6])).toBeCloseTo(mostlyB[1].additive, 3);
  expect(Number(row(1)[8])).toBe(20);
  expect(Number(row(1)[9])).toBe(await shared(page));
});
