// Issue 13 item 3: nothing lost without asking. A preset click or Reset mid-run
// asks first; reloading mid-run gets the browser's leave-page prompt; the
// learning rate and task weights apply live; other edits say "Reset to apply".
import { expect, test } from './fixtures';
import { hashOf, SMALL, stepOf, waitReady } from './i13-helpers';

test.use({ viewport: { width: 1280, height: 800 } });

test('mid-run: a preset click and Reset ask first, reload prompts, live settings apply, other edits mark the run stale', async ({ page }) => {
  await page.goto(hashOf({ ...SMALL, train: { ...SMALL.train, weighting: { weights: [1, 1] } } }));
  await waitReady(page);
  await page.getByLabel('Speed').selectOption('30');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('run-phase')).toHaveText('running');
  await expect.poll(() => stepOf(page), { timeout: 30_000 }).toBeGreaterThan(3);

  // A preset click asks; dismissing keeps the run and the form.
  const asked: string[] = [];
  page.once('dialog', (d) => {
    asked.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.getByRole('button', { name: 'MMoE vs CGC gate usage' }).click();
  await expect.poll(() => asked.length).toBe(1);
  expect(asked[0]).toMatch(/^confirm: Loading the preset "MMoE vs CGC gate usage" stops the run in progress \(.*step \d+ of 5000\) and clears its charts\. Continue\?$/);
  await expect(page.getByTestId('run-phase')).toHaveText('running');
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('ple');
  const before = await stepOf(page);
  await expect.poll(() => stepOf(page), { timeout: 30_000 }).toBeGreaterThan(before);

  // The learning rate applies live, and the page says from which step.
  await page.getByLabel('Learning rate', { exact: true }).fill('0.01');
  await expect(page.getByTestId('live-note')).toHaveText(/^Applied live from step \d+: learning rate 0\.01\.$/);
  await page.getByLabel('Task weights ω_k').fill('1, 0.5');
  await expect(page.getByTestId('live-note')).toHaveText(/^Applied live from step \d+: task weights 1, 0\.5\.$/);
  await expect(page.getByTestId('config-stale')).toHaveCount(0);
  // Any other edit: "config changed — Reset to apply".
  await page.getByLabel('Batch size', { exact: true }).fill('32');
  await expect(page.getByTestId('config-stale')).toContainText('Config changed — Reset to apply (Batch size)');
  await expect(page.getByTestId('run-phase')).toHaveText('running');

  // Reload mid-run: the browser's beforeunload prompt; dismissing it stays on the page, run intact.
  const unload = new Promise<string>((resolve) => page.once('dialog', (d) => (resolve(d.type()), void d.dismiss())));
  void page.reload().catch(() => undefined);
  expect(await unload).toBe('beforeunload');
  await expect(page.getByTestId('run-phase')).toHaveText('running');
  const s1 = await stepOf(page);
  await expect.poll(() => stepOf(page), { timeout: 30_000 }).toBeGreaterThan(s1);

  // Reset asks too; accepting clears the run (and the stale note with it).
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.getByTestId('run-phase')).toHaveText('idle');
  await expect(page.getByTestId('config-stale')).toHaveCount(0);
  // Nothing running: a preset loads without asking.
  const unexpected: string[] = [];
  page.on('dialog', (d) => {
    unexpected.push(d.message());
    void d.dismiss();
  });
  await page.getByRole('button', { name: 'MMoE vs CGC gate usage' }).click();
  await expect(page.getByRole('button', { name: 'MMoE vs CGC gate usage' })).toHaveAttribute('aria-pressed', 'true');
  expect(unexpected).toEqual([]);
});
