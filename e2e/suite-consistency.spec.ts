// Issue 13 item 5: the run count is stated before Play and is what starts;
// "Run all seeds" leaves the Seeds field as typed.
import { expect, test } from './fixtures';
import { waitReady } from './i13-helpers';

test.use({ viewport: { width: 1280, height: 800 } });

test('a seesaw link with seeds 1-20 states 20 seeds before Play, in the preset text and on Play', async ({ page }) => {
  await page.goto('/#preset=seesaw&seeds=1-20');
  await waitReady(page);
  const text = (await page.getByTestId('plan-count').textContent()) ?? '';
  const m = /^(\d+) models × 20 seeds = (\d+) runs$/.exec(text);
  expect(m, text).not.toBeNull();
  expect(Number(m![2])).toBe(Number(m![1]) * 20);
  await expect(page.getByRole('button', { name: 'Play' })).toHaveAttribute('title', `Train: start ${text}`);
  await expect(page.locator('.progress-wrap .run-name')).toHaveText(`ready: ${text}`);
  await expect(page.getByLabel('Seeds', { exact: true })).toHaveValue(Array.from({ length: 20 }, (_, i) => i + 1).join(', '));
  // Fewer seeds typed: the count follows before Play.
  await page.getByLabel('Seeds', { exact: true }).fill('1, 2');
  await expect(page.getByTestId('plan-count')).toHaveText(`${m![1]} models × 2 seeds = ${Number(m![1]) * 2} runs`);
});
