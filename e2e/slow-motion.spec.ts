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

  // Slow motion: every step's gates reach the page (sampled faster than the steps come).
  await page.getByLabel('Speed').selectOption('3');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('run-phase')).toHaveText('running');
  // Every value the note takes, recorded in the page as it changes (no sampling gaps).
  const seen = await page.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const card = document.querySelector('[data-testid="chart-utilisation"]')!;
        const out: number[] = [];
        const read = () => {
          const m = /(\d+)(?!.*\d)/.exec(card.querySelector('text.util-step')?.textContent ?? '');
          if (m && out[out.length - 1] !== Number(m[1])) out.push(Number(m[1]));
        };
        const mo = new MutationObserver(read);
        mo.observe(card, { subtree: true, childList: true, characterData: true });
        setTimeout(() => {
          mo.disconnect();
          resolve(out);
        }, 6000);
      }),
  );
  await page.getByRole('button', { name: 'Pause' }).click();
  const steps = [...new Set(seen)].filter((s) => s > 12).sort((a, b) => a - b);
  expect(steps.length, `gate steps seen: ${steps.join(', ')}`).toBeGreaterThanOrEqual(8);
  // No step skipped between the first and the last one seen.
  expect(steps).toEqual(Array.from({ length: steps.length }, (_, i) => steps[0] + i));
  // The architecture edges follow the same statistics: an edge's weight is a number, not "no gate statistics yet".
  await expect(page.getByTestId('chart-architecture').locator('.arch-gate').first()).toBeVisible();
  expect(await stepOf(page)).toBeGreaterThanOrEqual(steps[steps.length - 1]);
});
