// Issue 13 item 6: true slow motion. Step trains exactly one step (Step ×10
// beside it), and at slow speeds the gate statistics — bars, timeline and
// diagram edges — follow every step, so a student can watch a gate move.
import { expect, test } from './fixtures';
import { hashOf, SMALL, stepOf, waitReady } from './i13-helpers';

test.use({ viewport: { width: 1280, height: 800 } });

/** The step the utilisation chart's gate statistics come from (its "step N" note). */
const gateStep = async (page: import('@playwright/test').Page) => {
  const t = (await page.getByTestId('chart-utilisation').locator('text.util-step').first().textContent()) ?? '';
  const m = /(\d+)(?!.*\d)/.exec(t);
  return m ? Number(m[1]) : -1;
};

test('Step is one step, Step ×10 ten; at 3 steps/s the gates update at every step', async ({ page }) => {
  await page.goto(hashOf({ ...SMALL, model: { type: 'mmoe' } }));
  await waitReady(page);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('run-phase')).toHaveText('paused');
  await expect(page.getByTestId('step-counter')).toHaveText('1');
  await expect.poll(() => gateStep(page)).toBe(1);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('step-counter')).toHaveText('2');
  await expect.poll(() => gateStep(page)).toBe(2);
  await page.getByRole('button', { name: 'Step ×10', exact: true }).click();
  await expect(page.getByTestId('step-counter')).toHaveText('12');
  await expect.poll(() => gateStep(page)).toBe(12);

  // Slow motion: every step's gates reach the page. The gate timeline holds one point per gate
  // reading (its band's area path has 2 vertices per point): count them against the steps trained.
  const points = async () => {
    const d = (await page.getByTestId('chart-timeline').locator('path.timeline-band').first().getAttribute('d')) ?? '';
    return (d.match(/[ML]/g) ?? []).length / 2;
  };
  await expect.poll(points).toBeGreaterThan(0);
  const p0 = await points();
  const s0 = await stepOf(page);
  await page.getByLabel('Speed').selectOption('3');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('run-phase')).toHaveText('running');
  await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(s0 + 12);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-phase')).toHaveText('paused');
  // Settled: the pause snapshot is in.
  await expect.poll(async () => (await gateStep(page)) === (await stepOf(page))).toBe(true);
  const s1 = await stepOf(page);
  await expect.poll(points).toBeGreaterThanOrEqual(p0 + (s1 - s0));
  // ... and not more than one reading per step.
  expect(await points()).toBeLessThanOrEqual(p0 + (s1 - s0) + 1);
  // The architecture edges follow the same statistics: an edge's weight is a number, not "no gate statistics yet".
  await expect(page.getByTestId('chart-architecture').locator('.arch-gate').first()).toBeVisible();
});
