// Issue 13 item 9: messages for people. Field errors in words (label, ordinal,
// what is allowed); a bad link is replaced by the state really loaded; chart
// downloads are named by preset, model and step, and an empty chart has none.
import { expect, test } from './fixtures';
import { hashOf, SMALL, waitReady } from './i13-helpers';

test.use({ viewport: { width: 1280, height: 800 } });

test('errors in words, a bad link replaced, chart downloads named and disabled while empty', async ({ page }) => {
  await page.goto(hashOf(SMALL));
  await waitReady(page);
  const hidden = page.getByLabel('Expert hidden sizes');
  await hidden.fill('64, abc');
  await expect(hidden).toHaveAccessibleDescription('Expert hidden sizes: the second layer must be a whole number from 1 to 1024');
  await expect(page.getByTestId('train-blocker')).toHaveText('Train disabled: Fix the invalid field first: Expert hidden sizes: the second layer must be a whole number from 1 to 1024');
  await hidden.fill('64');
  const specific = page.getByLabel('Specific experts', { exact: true });
  await specific.fill('abc');
  await expect(specific).toHaveAccessibleDescription('Specific experts: must be a whole number from 0 to 16');
  await specific.fill('2');
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();

  // Empty charts cannot be exported; after one step they can, under a descriptive name.
  const svgButton = page.getByRole('button', { name: 'Download Loss and metric curves as SVG' });
  await expect(svgButton).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Download Loss and metric curves as PNG' })).toBeDisabled();
  await page.getByRole('button', { name: 'Step ×10', exact: true }).click();
  await expect(page.getByTestId('step-counter')).toHaveText('10');
  await expect(svgButton).toBeEnabled();
  const [d] = await Promise.all([page.waitForEvent('download'), svgButton.click()]);
  expect(d.suggestedFilename()).toBe('ple-loss-and-metric-curves-step-10.svg');
  page.once('dialog', (dlg) => void dlg.accept());
  await page.getByRole('button', { name: 'MMoE vs CGC gate usage' }).click();
  await expect(page.getByRole('button', { name: 'Download Loss and metric curves as SVG' })).toBeDisabled();

  // A bad link: a notice, and the address bar shows the state really loaded (the defaults), not the bad text.
  await page.goto('/#config=%7Bnot-json');
  await expect(page.getByTestId('notice').filter({ hasText: 'not valid JSON' })).toBeVisible();
  await expect.poll(() => new URL(page.url()).hash).toBe('#config=%7B%7D');
  await page.goto(`/#config=${encodeURIComponent(JSON.stringify({ model: { expertHidden: [64, 0] } }))}`);
  await expect(page.getByTestId('notice').filter({ hasText: 'The config in the link is invalid' })).toContainText(
    'Expert hidden sizes: the second layer must be a whole number from 1 to 1024 (got 0)',
  );
  await expect.poll(() => decodeURIComponent(new URL(page.url()).hash)).not.toContain('expertHidden');
});
