// The playground page in a real browser (Debian's Chromium): presets, live
// charts, validation, the URL hash, the run list, export and import.
// Waits are on locators and DOM state, never on fixed sleeps.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Page, TestInfo } from '@playwright/test';
import { PRESETS } from '../src/core/config/presets';
import { expect, test } from './fixtures';

/** What the page bundles: the committed findings of `npm run reproduce`. */
const FINDINGS = JSON.parse(readFileSync(new URL('../docs/findings.json', import.meta.url), 'utf8')) as {
  mode: string;
  seeds: number[];
  findings: { id: string; part: string; claim: string; verdict: string; rule: string; evidence: string }[];
};

test.use({ viewport: { width: 1280, height: 800 } });

/** Small and fast: WASM, a few hundred steps. */
const WASM = encodeURIComponent(JSON.stringify({ backend: 'wasm' }));

async function attachShot(page: Page, testInfo: TestInfo, name: string) {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: false }), contentType: 'image/png' });
}

async function waitReady(page: Page) {
  await expect(page.getByTestId('backend-badge')).toContainText(/WASM|WEBGPU|WEBGL|CPU/, { timeout: 60_000 });
}

async function waitDone(page: Page, timeout = 150_000) {
  await expect(page.getByTestId('run-phase')).toHaveText('done', { timeout });
}

/** Every number drawn must be finite: no NaN or Infinity in any chart's text or geometry. */
async function expectNoNaN(page: Page) {
  const bad = await page.evaluate(() => {
    const out: string[] = [];
    document.querySelectorAll('svg.chart').forEach((svg) => {
      if (/NaN|Infinity/.test(svg.textContent ?? '')) out.push(`text in ${svg.getAttribute('aria-label')}`);
      svg.querySelectorAll('*').forEach((el) => {
        for (const a of ['d', 'x', 'y', 'width', 'height', 'cx', 'cy', 'transform', 'x1', 'x2', 'y1', 'y2'])
          if (/NaN|Infinity/.test(el.getAttribute(a) ?? '')) out.push(`${el.tagName}@${a} in ${svg.getAttribute('aria-label')}`);
      });
    });
    return out;
  });
  expect(bad).toEqual([]);
}

test('MMoE vs CGC preset: training fills every chart with finite numbers', async ({ page }, testInfo) => {
  await page.goto(`/#config=${WASM}`);
  await waitReady(page);
  await expect(page.getByTestId('backend-badge')).toContainText('WASM');
  await page.getByRole('button', { name: 'MMoE vs CGC gate usage' }).click();
  await expect(page.getByTestId('preset-description')).toContainText('MMoE vs CGC gate usage');
  await page.getByLabel('Steps', { exact: true }).fill('200');
  await expect(page).toHaveURL(/preset=mmoe-vs-cgc/);
  // The gate bias is on by default, and the form says in one sentence why it matters.
  const bias = page.getByLabel('Trained bias on the gates');
  await expect(bias).toBeChecked();
  await expect(bias).toHaveAccessibleDescription(/Without a bias, symmetric input pins a gate.s mean weights: a 2-expert gate averages exactly 1\/2 whatever it learns/);
  await expect(page.getByTestId('gate-bias')).toContainText('so CGC’s gates could not show a preference for their own expert');
  await expect(page.getByLabel('Test at the best validation step')).toBeChecked();
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  // Live: the curves draw while the first run trains.
  await expect(page.locator('[data-testid=chart-curves] path.curve-train').first()).toHaveAttribute('d', /^M/, { timeout: 60_000 });
  await attachShot(page, testInfo, 'mmoe-vs-cgc-training');
  await waitDone(page);
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await expect(page.getByTestId('step-counter')).toHaveText('200');

  // Expert utilisation: two panels (MMoE: 2 task gates × 3 shared experts; CGC: 2 gates × (1 own + 1 shared)).
  const util = page.getByTestId('chart-utilisation');
  await expect(util.locator('g.util-panel')).toHaveCount(2);
  await expect(util.locator('g.util-panel').nth(0)).toHaveAttribute('data-run', 'MMoE');
  await expect(util.locator('g.util-panel').nth(1)).toHaveAttribute('data-run', 'CGC');
  await expect(util.locator('rect.util-bar')).toHaveCount(2 * 3 + 2 * 2);
  const gates = await util.locator('g.util-gate').evaluateAll((gs) =>
    gs.map((g) => [...g.querySelectorAll('rect.util-bar')].map((r) => [Number(r.getAttribute('data-mean')), Number(r.getAttribute('data-std')), Number(r.getAttribute('data-variance'))])),
  );
  expect(gates).toHaveLength(4);
  for (const bars of gates) {
    const sum = bars.reduce((s, [m]) => s + m, 0);
    expect(sum).toBeCloseTo(1, 3); // a gate's mean weights are a distribution
    for (const [m, sd, v] of bars) {
      expect(m).toBeGreaterThanOrEqual(0);
      expect(m).toBeLessThanOrEqual(1);
      expect(sd).toBeGreaterThanOrEqual(0);
      expect(v).toBeCloseTo(sd * sd, 6);
    }
  }
  const l1 = await util.locator('text.util-figures').evaluateAll((ts) => ts.map((t) => [Number(t.getAttribute('data-l1')), Number(t.getAttribute('data-shared-l1'))]));
  expect(l1).toHaveLength(2);
  for (const [union, shared] of l1) {
    for (const v of [union, shared]) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(2);
    }
  }
  // MMoE's gates see the same experts: both distances agree. CGC shares one expert: its shared-expert L1 is 0.
  expect(l1[0][0]).toBeCloseTo(l1[0][1], 5);
  expect(l1[1][1]).toBe(0);
  // The fair figures come first, then the union L1, labelled as partly structural.
  const cgcPanel = util.locator('g.util-panel').nth(1);
  await expect(util.locator('text.util-shared-l1').first()).toContainText(/^shared-expert L1 \d\.\d{3} · task-gate entropy \d\.\d{3} nats$/);
  await expect(cgcPanel.locator('text.util-shared-l1')).toContainText('one expert in common: 0 by construction');
  await expect(cgcPanel.locator('text.util-figures')).toContainText(/^union L1 \d\.\d{3} \(partly structural: private experts count as 0 for the other gate\)$/);
  const order = await cgcPanel.locator('g.util-level text').evaluateAll((ts) => ts.map((t) => t.getAttribute('class')).filter(Boolean));
  expect(order.indexOf('util-shared-l1')).toBeLessThan(order.indexOf('util-figures'));
  // Own vs uniform under CGC's two task gates (1 own of 2 experts: uniform 0.50); none under MMoE's.
  await expect(util.locator('g.util-panel').nth(0).locator('text.util-own')).toHaveCount(0);
  await expect(cgcPanel.locator('text.util-own')).toHaveCount(2);
  const own = await cgcPanel.locator('text.util-own').evaluateAll((ts) => ts.map((t) => [...t.querySelectorAll('tspan')].map((x) => x.textContent).join('')));
  for (const t of own) expect(t).toMatch(/^own 0\.\d\d vs uniform 0\.50$/);
  await expect(cgcPanel.locator('text.util-step')).toHaveText(/^test · (step \d+ \(best val\.\)|last step 200)$/);
  // The preset's data is regional: under every task gate, how differently it routes the two regions (≥ 12 px, no overlap).
  const region = util.locator('text.util-region');
  await expect(region).toHaveCount(4);
  for (const t of await region.all()) {
    const v = Number(await t.getAttribute('data-region-l1'));
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(2);
    expect(Number(await t.getAttribute('font-size'))).toBeGreaterThanOrEqual(12);
    const lines = await t.locator('tspan').allTextContents();
    expect(lines.join('').replace(/\s+/g, ' ')).toMatch(/^(routing by region: L1|routing by region: L1|region L1|reg\. L1) \d\.\d\d$/);
  }
  const gateRegion = await util.locator('g.util-gate').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-region-l1')));
  expect(gateRegion.every((v) => v !== null && Number.isFinite(Number(v)) && v !== '')).toBe(true);
  const textBoxes = await util.locator('g.util-panel text').evaluateAll((ts) =>
    ts
      .filter((t) => (t.textContent ?? '').trim() && (t.classList.contains('util-region') || t.classList.contains('util-own') || t.classList.contains('util-gate-label')))
      .map((t) => {
        const b = t.getBoundingClientRect();
        return { cls: t.getAttribute('class'), box: [b.left, b.top, b.right, b.bottom] };
      }),
  );
  for (let i = 0; i < textBoxes.length; i++)
    for (let j = i + 1; j < textBoxes.length; j++) {
      const [a, b] = [textBoxes[i].box, textBoxes[j].box];
      const overlap = a[0] < b[2] - 0.5 && b[0] < a[2] - 0.5 && a[1] < b[3] - 0.5 && b[1] < a[3] - 0.5;
      expect(overlap, `${textBoxes[i].cls} and ${textBoxes[j].cls} overlap`).toBe(false);
    }
  // Whiskers: standard deviation by default, variance one click away; the legend says which.
  await expect(util.locator('text.util-whisker-legend')).toHaveText(/standard deviation/);
  await util.getByRole('button', { name: 'variance' }).click();
  await expect(util.locator('text.util-whisker-legend')).toHaveText(/variance/);
  // Hover shows mean, std and variance.
  await util.locator('rect.util-bar').first().hover();
  const tip = util.getByRole('tooltip');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText(/mean weight 0\.\d{4}/);
  await expect(tip).toContainText(/std \d/);
  await expect(tip).toContainText(/variance \d/);

  // Curves: joint + one panel per task, train paths and validation dots.
  const curves = page.getByTestId('chart-curves');
  await expect(curves.locator('g.curve-panel')).toHaveCount(3);
  await expect(curves.locator('path.curve-train')).toHaveCount(3);
  expect(await curves.locator('circle.val-dot').count()).toBeGreaterThan(4);
  // The best validation step is marked and labelled in every panel; the table says the same step.
  const marks = await curves.locator('g.best-step').evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-step'))));
  expect(marks).toHaveLength(3);
  expect(new Set(marks).size).toBe(1);
  expect(marks[0]).toBeGreaterThan(0);
  expect(marks[0]).toBeLessThanOrEqual(200);
  await expect(curves.locator('text.best-step-label').first()).toHaveText(`best val. step ${marks[0]}`);
  await curves.getByLabel('log y').check();
  await expect(curves.locator('text', { hasText: 'loss (log)' }).first()).toBeVisible();

  // Architecture: CGC (the run shown last) with live edge widths on every gate input.
  const arch = page.getByTestId('chart-architecture');
  await expect(arch.locator('rect.arch-gate')).toHaveCount(2);
  await expect(arch.locator('rect.arch-expert')).toHaveCount(3);
  const weights = await arch.locator('path.arch-gate-edge').evaluateAll((ps) => ps.map((p) => Number(p.getAttribute('data-weight'))));
  expect(weights).toHaveLength(4);
  for (const w of weights) expect(w).toBeGreaterThan(0);

  // Gate weights over time and the suite table.
  expect(await page.getByTestId('chart-timeline').locator('path.timeline-band').count()).toBeGreaterThanOrEqual(4);
  const table = page.getByTestId('suite-table');
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await expect(table.locator('tbody')).not.toContainText('queued');
  // Parameters and the step the test numbers come from (CGC, shown in the curves, is the second row).
  for (const p of await table.getByTestId('run-params').allTextContents()) expect(p).toMatch(/^\d{1,3}(,\d{3})+$/);
  await expect(table.getByTestId('run-test-step').nth(1)).toHaveText(`${marks[0]} (best validation)`);
  await expect(table.getByTestId('run-test-step').nth(1)).toHaveAttribute('title', `test at step ${marks[0]} (best validation)`);
  await expect(table.getByTestId('gain-baseline')).toContainText('none in this run');

  // The data view: requested p and the measured label correlation.
  await expect(page.getByTestId('measured-r-0-1')).toHaveText(/^-?0\.\d{3}$/);
  expect(await page.getByTestId('chart-data').locator('circle.scatter-point').count()).toBeGreaterThan(100);

  await expectNoNaN(page);
  await attachShot(page, testInfo, 'mmoe-vs-cgc-done');
  await page.screenshot({ path: testInfo.outputPath('mmoe-vs-cgc-page.png'), fullPage: true });
  for (const [name, el] of [
    ['curves', page.getByTestId('chart-curves')],
    ['suite-table', page.getByTestId('suite-table')],
    ['settings', page.getByRole('complementary', { name: 'Settings' })],
  ] as const)
    await el.screenshot({ path: testInfo.outputPath(`mmoe-vs-cgc-${name}.png`) });
  await page.getByTestId('chart-utilisation').screenshot({ path: testInfo.outputPath('utilisation.png') });
  await testInfo.attach('utilisation', { path: testInfo.outputPath('utilisation.png'), contentType: 'image/png' });

  // Down to tablet width: no horizontal scrolling, charts redraw to the new width.
  for (const width of [1024, 768]) {
    await page.setViewportSize({ width, height: 1000 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await expect
      .poll(() => page.getByTestId('chart-utilisation').locator('svg.chart').evaluate((s, w) => Number(s.getAttribute('width')) <= w, width))
      .toBe(true);
    await attachShot(page, testInfo, `width-${width}`);
  }
});

test('invalid input: the field says why and Play is disabled with the reason', async ({ page }, testInfo) => {
  await page.goto(`/#config=${WASM}`);
  await waitReady(page);
  const play = page.getByRole('button', { name: 'Play' });
  await expect(play).toBeEnabled();

  const lr = page.getByLabel('Learning rate', { exact: true });
  await lr.fill('abc');
  // The message sits under the field and is its accessible description.
  await expect(lr).toHaveAccessibleDescription(/Learning rate: must be a number greater than 0 and at most 1/);
  await expect(page.locator('.field-error', { hasText: 'Learning rate: must be' })).toBeVisible();
  await expect(lr).toHaveAttribute('aria-invalid', 'true');
  await expect(play).toBeDisabled();
  await expect(page.getByTestId('train-blocker')).toContainText('Learning rate: must be a number greater than 0 and at most 1');
  await attachShot(page, testInfo, 'invalid-learning-rate');
  await lr.fill('0.01');
  await expect(play).toBeEnabled();
  await expect(page.getByTestId('train-blocker')).toHaveCount(0);

  // A cross-field rule: batch larger than the training set.
  const batch = page.getByLabel('Batch size', { exact: true });
  await batch.fill('8192');
  await expect(batch).toHaveAccessibleDescription(/batch size 8192 is larger than the training set/);
  await expect(play).toBeDisabled();
  await batch.fill('256');
  await expect(play).toBeEnabled();

  // A gate with no expert.
  await page.getByLabel('Model', { exact: true }).selectOption('mmoe');
  const shared = page.getByLabel('Shared experts', { exact: true });
  await shared.fill('0');
  await expect(shared).toHaveAccessibleDescription(/MMoE needs at least 1 shared expert/);
  await expect(play).toBeDisabled();
  await shared.fill('3');
  await expect(play).toBeEnabled();

  // The optional task seed: empty is fine, a word or 0 says why not.
  const taskSeed = page.getByLabel('Task seed', { exact: true });
  await taskSeed.fill('abc');
  await expect(taskSeed).toHaveAccessibleDescription('Task seed: must be a whole number from 1 to 2147483647');
  await expect(play).toBeDisabled();
  await taskSeed.fill('0');
  await expect(taskSeed).toHaveAccessibleDescription(/Task seed: must be a whole number from 1 to 2147483647 \(got 0\)/);
  await taskSeed.fill('');
  await expect(play).toBeEnabled();

  // A malformed link falls back to the defaults with a visible notice.
  await page.goto('/#config=%7Bnot-json');
  await expect(page.getByTestId('notice').filter({ hasText: 'not valid JSON' })).toBeVisible();
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('ple');
  await page.goto(`/#config=${encodeURIComponent(JSON.stringify({ train: { learningRate: -1 } }))}`);
  await expect(page.getByTestId('notice').filter({ hasText: 'The config in the link is invalid' })).toContainText('Learning rate: must be');
  await expect(page.getByLabel('Learning rate', { exact: true })).toHaveValue('0.003');
});

test('Step trains exactly one step and pauses, Step ×10 ten; Play/Pause; Reset clears but keeps the seeds', async ({ page }, testInfo) => {
  await page.goto(`/#config=${encodeURIComponent(JSON.stringify({ backend: 'wasm', train: { steps: 3000, readbackEvery: 10 } }))}`);
  await waitReady(page);
  const counter = page.getByTestId('step-counter');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('run-phase')).toHaveText('paused');
  await expect(counter).toHaveText('1');
  await page.getByRole('button', { name: 'Step ×10', exact: true }).click();
  await expect(counter).toHaveText('11');
  await page.getByRole('button', { name: 'Step ×10', exact: true }).click();
  await expect(counter).toHaveText('21');
  await expect(page.getByTestId('chart-curves').locator('path.curve-train').first()).toHaveAttribute('d', /^M/);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('run-phase')).toHaveText('running');
  await expect.poll(async () => Number(await counter.textContent()), { timeout: 30_000 }).toBeGreaterThan(60);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-phase')).toHaveText('paused');
  // Paused means paused: the counter settles and stays.
  await expect.poll(async () => {
    const a = await counter.textContent();
    await page.waitForTimeout(400);
    return a === (await counter.textContent());
  }).toBe(true);
  await attachShot(page, testInfo, 'paused');
  const seed = await page.getByLabel('Data seed', { exact: true }).inputValue();
  // Reset of a paused run asks first (issue 13): accept.
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page.getByTestId('run-phase')).toHaveText('idle');
  await expect(counter).toHaveText('0');
  await expect(page.getByTestId('chart-curves').locator('path.curve-train')).toHaveCount(0);
  await expect(page.getByLabel('Data seed', { exact: true })).toHaveValue(seed);
  // "new seed" draws a different one.
  await page.getByRole('button', { name: 'New data seed' }).click();
  await expect(page.getByLabel('Data seed', { exact: true })).not.toHaveValue(seed);
});

test('URL hash round-trip: a copied link restores the config and the suite', async ({ page, context }) => {
  await page.goto(`/#config=${WASM}`);
  await waitReady(page);
  await page.getByLabel('Model', { exact: true }).selectOption('mmoe');
  await page.getByLabel('Shared experts', { exact: true }).fill('5');
  await page.getByLabel('Correlation p', { exact: true }).fill('0.8');
  await page.getByLabel('Task 2 type').selectOption('binary');
  await page.getByLabel('Expert hidden sizes').fill('32, 16');
  await page.getByLabel('Trained bias on the gates').uncheck();
  await page.getByLabel('Standardise regression targets').uncheck();
  await page.getByLabel('Test at the best validation step').uncheck();
  await page.getByLabel('Task seed', { exact: true }).fill('42');
  await expect(page).toHaveURL(/sharedExperts/);
  for (const f of ['gateBias', 'standardizeTargets', 'selectBest', 'taskSeed']) await expect(page).toHaveURL(new RegExp(f));
  const url = page.url();

  const other = await context.newPage();
  await other.goto(url);
  await expect(other.getByLabel('Model', { exact: true })).toHaveValue('mmoe');
  await expect(other.getByLabel('Shared experts', { exact: true })).toHaveValue('5');
  await expect(other.getByLabel('Correlation p', { exact: true })).toHaveValue('0.8');
  await expect(other.getByLabel('Task 2 type')).toHaveValue('binary');
  await expect(other.getByLabel('Expert hidden sizes')).toHaveValue('32, 16');
  await expect(other.getByLabel('Backend', { exact: true })).toHaveValue('wasm');
  await expect(other.getByLabel('Trained bias on the gates')).not.toBeChecked();
  await expect(other.getByLabel('Standardise regression targets')).not.toBeChecked();
  await expect(other.getByLabel('Test at the best validation step')).not.toBeChecked();
  await expect(other.getByLabel('Task seed', { exact: true })).toHaveValue('42');
  expect(other.url()).toBe(url);
  // Clearing the task seed makes it null again: the link drops it.
  await other.getByRole('button', { name: 'Clear task seed' }).click();
  await expect(other.getByLabel('Task seed', { exact: true })).toHaveValue('');
  await expect(other).not.toHaveURL(/taskSeed/);
  // An old link without the new fields loads their defaults.
  await other.goto(`/#config=${encodeURIComponent(JSON.stringify({ backend: 'wasm', model: { type: 'cgc' } }))}`);
  await expect(other.getByLabel('Model', { exact: true })).toHaveValue('cgc');
  await expect(other.getByLabel('Trained bias on the gates')).toBeChecked();
  await expect(other.getByLabel('Standardise regression targets')).toBeChecked();
  await expect(other.getByLabel('Test at the best validation step')).toBeChecked();
  await expect(other.getByLabel('Task seed', { exact: true })).toHaveValue('');

  // A suite preset with seeds and a changed budget.
  await page.getByRole('button', { name: 'Seesaw', exact: true }).click();
  await page.getByLabel('Seeds', { exact: true }).fill('1, 2');
  await page.getByLabel('Steps', { exact: true }).fill('120');
  await expect(page).toHaveURL(/preset=seesaw/);
  await expect(page).toHaveURL(/seeds=1%2C2/);
  const suiteUrl = page.url();
  await other.goto('about:blank');
  await other.goto(suiteUrl);
  await expect(other.getByRole('region', { name: 'Suite settings' })).toContainText('Seesaw');
  await expect(other.getByLabel('Seeds', { exact: true })).toHaveValue('1, 2');
  await expect(other.getByLabel('Steps', { exact: true })).toHaveValue('120');
  // Fields the suite varies are locked.
  await expect(other.getByLabel('Model', { exact: true })).toBeDisabled();
  // The article's links load presets.
  await other.getByRole('article').getByRole('link', { name: 'Correlation sweep', exact: true }).click();
  await expect(other.getByRole('region', { name: 'Suite settings' })).toContainText('Correlation sweep');
  await expect(other).toHaveURL(/preset=correlation-sweep/);
  await other.close();
});

test('runs survive a reload; exported files parse and re-import', async ({ page }, testInfo) => {
  const cfg = { backend: 'wasm', model: { type: 'cgc', specificExperts: 1, sharedExperts: 1 }, data: { nTrain: 2000, nVal: 200, nTest: 400 }, train: { steps: 60, evalEvery: 20 } };
  await page.goto(`/#config=${encodeURIComponent(JSON.stringify(cfg))}`);
  await waitReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await waitDone(page, 90_000);
  const runs = page.getByTestId('saved-run');
  await expect(runs).toHaveCount(1);

  const download = async (name: string | RegExp) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
    return { name: d.suggestedFilename(), body: await readFile((await d.path())!) };
  };
  const model = await download('Export model JSON');
  const modelJson = JSON.parse(model.body.toString('utf8'));
  expect(modelJson.config.model.type).toBe('cgc');
  const results = await download('Export results JSON');
  const resultsJson = JSON.parse(results.body.toString('utf8'));
  expect(resultsJson.model).toBe('cgc');
  expect(resultsJson.steps).toBe(60);
  expect(resultsJson.gateStats.length).toBe(1);
  const csv = await download('Export results CSV');
  const lines = csv.body.toString('utf8').trim().split('\n');
  expect(lines[0]).toMatch(/^step,/);
  expect(lines.length).toBeGreaterThan(3);
  const svg = await download('Download Architecture as SVG');
  expect(svg.name).toMatch(/\.svg$/);
  expect(svg.body.toString('utf8')).toMatch(/^<\?xml[^]*<svg[^]*arch-gate/);
  const wellFormed = await page.evaluate((t) => !new DOMParser().parseFromString(t, 'image/svg+xml').querySelector('parsererror'), svg.body.toString('utf8'));
  expect(wellFormed).toBe(true);
  const png = await download('Download Expert utilisation as PNG');
  expect([...png.body.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  // Reload: the run list comes back from IndexedDB.
  await page.goto('/');
  await expect(page.getByTestId('saved-run')).toHaveCount(1);
  await expect(page.getByTestId('saved-run')).toContainText('CGC');
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('ple');

  // Re-import: the exported results carry the config.
  await page.getByTestId('import-config').setInputFiles({ name: 'results.json', mimeType: 'application/json', buffer: results.body });
  await expect(page.getByTestId('notice').filter({ hasText: 'Loaded the config from results.json' })).toBeVisible();
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('cgc');
  await expect(page.getByLabel('Steps', { exact: true })).toHaveValue('60');
  await page.getByTestId('import-config').setInputFiles({ name: 'model.json', mimeType: 'application/json', buffer: model.body });
  await expect(page.getByTestId('notice').filter({ hasText: 'Loaded the config from model.json' })).toBeVisible();
  // An invalid file is refused with the reason, and the form keeps its config.
  await page
    .getByTestId('import-config')
    .setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ model: { type: 'ple', levels: 0 } })) });
  await expect(page.getByTestId('notice').filter({ hasText: 'bad.json is not a valid config' })).toContainText('Levels: must be a whole number from 1 to 4');
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('cgc');

  // Compare the saved run with itself after a second run: two panels from saved results.
  await page.getByRole('button', { name: 'Play' }).click();
  await waitDone(page, 90_000);
  await expect(page.getByTestId('saved-run')).toHaveCount(2);
  const boxes = page.getByRole('checkbox', { name: /^Compare CGC/ });
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await expect(page.getByTestId('chart-utilisation').locator('g.util-panel')).toHaveCount(2);
  await expect(page.getByTestId('chart-curves').locator('path.curve-train')).toHaveCount(2 * 3);
  await attachShot(page, testInfo, 'compare-two-saved-runs');
  // Delete one.
  await page.getByRole('button', { name: /^Delete saved run/ }).first().click();
  await expect(page.getByTestId('saved-run')).toHaveCount(1);
  await expectNoNaN(page);
});

test('Seesaw plot: one point per model and seed, gains match the test metrics', async ({ page }, testInfo) => {
  await page.goto(`/#config=${WASM}`);
  await waitReady(page);
  await page.getByRole('button', { name: 'Negative transfer' }).click();
  await page.getByLabel('Seeds', { exact: true }).fill('1, 2');
  await page.getByLabel('Steps', { exact: true }).fill('60');
  await page.getByRole('button', { name: 'Play' }).click();
  await waitDone(page);
  const table = page.getByTestId('suite-table');
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  const variants = rows.map((r) => r[0].replace(/ · seed \d+$/, ''));
  const single = variants[0];
  const gated = [...new Set(variants.filter((v) => v !== single))];
  expect(gated.length).toBeGreaterThanOrEqual(1);

  const seesaw = page.getByTestId('chart-seesaw');
  await expect(seesaw.locator('rect.quadrant')).toHaveCount(4);
  await expect(seesaw.locator('path.seesaw-origin')).toHaveCount(1);
  await expect(seesaw.locator('circle.seesaw-point')).toHaveCount(gated.length * 2);
  await expect(seesaw.locator('path.seesaw-mean')).toHaveCount(gated.length);

  // Each point's gain against the single-task run of the same seed, from the table's test metrics.
  // Gain = MSE(single) − MSE(model) for a regression task, AUC(model) − AUC(single) for a binary one.
  const metric = (cell: string) => {
    const m = /(MSE|AUC) (-?[\d.]+)/.exec(cell)!;
    return { v: Number(m[2]), sign: m[1] === 'MSE' ? 1 : -1 };
  };
  const gain = (base: string, model: string) => metric(base).sign * (metric(base).v - metric(model).v);
  // Columns: run, status, params, test at step, then the task metrics.
  const M1 = 4;
  const M2 = 5;
  for (const r of rows) {
    expect(r[2]).toMatch(/^\d{1,3}(,\d{3})*$/);
    expect(r[3]).toMatch(/^\d+( \/ \d+)* \(best validation( per task)?\)$|^\d+ \(last step\)$/);
  }
  // The gain columns and the seesaw legend name the baseline with its size; every model shows its parameters.
  const baseParams = rows.find((r) => r[0].startsWith(single))![2];
  await expect(table.getByTestId('gain-baseline')).toHaveText(`MTL gain vs ${single} (${baseParams} params)`);
  await expect(seesaw.locator('g.seesaw-legend-item[data-model=baseline]')).toHaveText(`baseline: ${single} (${baseParams} params)`);
  for (const v of gated) {
    const params = rows.find((r) => r[0].startsWith(v))![2];
    await expect(seesaw.locator('g.seesaw-legend-item text', { hasText: v })).toHaveText(`${v} · ${params} params`);
  }
  const points = await seesaw.locator('circle.seesaw-point').evaluateAll((cs) => cs.map((c) => [Number(c.getAttribute('data-gain-a')), Number(c.getAttribute('data-gain-b'))]));
  const expected: [number, number][] = [];
  for (const seed of [1, 2]) {
    const base = rows.find((r) => r[0].startsWith(single) && r[0].endsWith(`seed ${seed}`))!;
    for (const r of rows.filter((r) => !r[0].startsWith(single) && r[0].endsWith(`seed ${seed}`))) expected.push([gain(base[M1], r[M1]), gain(base[M2], r[M2])]);
  }
  const sortPts = (a: number[][]) => [...a].sort((p, q) => p[0] - q[0]);
  const got = sortPts(points);
  const want = sortPts(expected);
  expect(got).toHaveLength(want.length);
  got.forEach((p, i) => {
    expect(p[0]).toBeCloseTo(want[i][0], 3);
    expect(p[1]).toBeCloseTo(want[i][1], 3);
  });
  // Hover names the model and the numbers.
  await seesaw.locator('circle.seesaw-point').first().hover({ force: true });
  await expect(seesaw.getByRole('tooltip')).toContainText(/seed \d/);
  await expect(seesaw.getByRole('tooltip')).toContainText(/gain .*: [+-]?\d/);
  await expectNoNaN(page);
  await seesaw.screenshot().then((b) => testInfo.attach('seesaw', { body: b, contentType: 'image/png' }));
});

test('ML-MMoE in the expert-utilisation preset: per-expert gates at level 1, task gates at level 2', async ({ page }, testInfo) => {
  await page.goto(`/#config=${WASM}`);
  await waitReady(page);
  await page.getByRole('button', { name: 'Expert utilisation', exact: true }).click();
  await page.getByLabel('Steps', { exact: true }).fill('60');
  await page.getByRole('button', { name: 'Play' }).click();
  await waitDone(page);
  const util = page.getByTestId('chart-utilisation');
  // One panel per run: every model of this preset is gated.
  await expect(util.locator('g.util-panel')).toHaveCount(await page.getByTestId('suite-table').locator('tbody tr').count());
  const ml = util.locator('g.util-panel[data-run="ML-MMoE"]');
  await expect(ml.locator('g.util-level')).toHaveCount(2);
  // Level 1: one gate per level-2 expert, no task gates (no L1 to show); level 2: the two task gates.
  await expect(ml.locator('g.util-level').nth(0).locator('g.util-gate')).toHaveCount(3);
  await expect(ml.locator('g.util-level').nth(0).locator('g.util-gate[data-gate^="expert:"]')).toHaveCount(3);
  await expect(ml.locator('g.util-level').nth(0).locator('text.util-shared-l1')).toContainText('no task gates here');
  await expect(ml.locator('g.util-level').nth(0).locator('text.util-figures')).toHaveAttribute('data-l1', '');
  await expect(ml.locator('g.util-level').nth(1).locator('g.util-gate[data-gate^="task:"]')).toHaveCount(2);
  const last = ml.locator('g.util-level').nth(1).locator('text.util-figures');
  expect(Number.isFinite(Number(await last.getAttribute('data-l1')))).toBe(true);
  expect(Number.isFinite(Number(await last.getAttribute('data-shared-l1')))).toBe(true);
  // The table's gate columns come from ML-MMoE's level 2 and say so.
  const row = page.getByTestId('suite-table').locator('tbody tr', { hasText: 'ML-MMoE' });
  for (const i of [-4, -3, -2]) await expect(row.locator('td').nth(i)).toHaveText(/^\d\.\d{3} \(L2\)$/);
  // The architecture of the ML-MMoE run: 3 per-expert gates and 2 task gates, each reading the input.
  await page.getByLabel('Run shown').selectOption({ label: 'ML-MMoE' });
  const arch = page.getByTestId('chart-architecture');
  await expect(arch.locator('rect.arch-gate')).toHaveCount(5);
  await expect(arch.locator('rect.arch-gate[data-gate^="expert:"]')).toHaveCount(3);
  await expectNoNaN(page);
  await arch.screenshot({ path: testInfo.outputPath('ml-mmoe-architecture.png') });
  await util.screenshot({ path: testInfo.outputPath('expert-utilisation.png') });
  await testInfo.attach('ml-mmoe-architecture', { path: testInfo.outputPath('ml-mmoe-architecture.png'), contentType: 'image/png' });
  await testInfo.attach('expert-utilisation', { path: testInfo.outputPath('expert-utilisation.png'), contentType: 'image/png' });
});

test('architecture: ML-MMoE with 2 and 3 levels draws one gate per next-level expert, then the task gates, none overlapping', async ({ page }, testInfo) => {
  for (const levels of [2, 3]) {
    await page.goto(`/#config=${encodeURIComponent(JSON.stringify({ backend: 'wasm', model: { type: 'ml-mmoe', levels, sharedExperts: 3 } }))}`);
    const arch = page.getByTestId('chart-architecture');
    await expect(arch.locator('rect.arch-gate')).toHaveCount(3 * (levels - 1) + 2);
    await expect(arch.locator('rect.arch-gate[data-gate^="expert:"]')).toHaveCount(3 * (levels - 1));
    await expect(arch.locator('rect.arch-expert')).toHaveCount(3 * levels);
    const boxes = await arch.locator('rect.arch-gate, rect.arch-expert, rect.arch-tower').evaluateAll((rs) =>
      rs.map((r) => {
        const b = r.getBoundingClientRect();
        return [b.left, b.top, b.right, b.bottom];
      }),
    );
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        const overlap = a[0] < b[2] - 0.5 && b[0] < a[2] - 0.5 && a[1] < b[3] - 0.5 && b[1] < a[3] - 0.5;
        expect(overlap, `boxes ${i} and ${j} overlap at ${levels} levels`).toBe(false);
      }
    await expectNoNaN(page);
    await arch.screenshot({ path: testInfo.outputPath(`ml-mmoe-${levels}-levels.png`) });
  }
});

test('regional data from the form: two region correlations, the sine weight, readable errors, the data view by region, link and import', async ({ page, context }, testInfo) => {
  await page.goto(`/#config=${WASM}`);
  await waitReady(page);
  const relationship = page.getByLabel('Task relationship', { exact: true });
  await expect(relationship).toHaveValue('global');
  await expect(page.getByLabel('Correlation p', { exact: true })).toBeVisible();
  await relationship.selectOption({ label: 'two regions with their own correlation' });
  await expect(relationship).toHaveAccessibleDescription(/The models never see r/);
  // The global p gives way to one correlation per region, with the schema's defaults.
  await expect(page.getByLabel('Correlation p', { exact: true })).toHaveCount(0);
  const r1 = page.getByLabel('Correlation in region 1 (rᵀx ≤ 0)', { exact: true });
  const r2 = page.getByLabel('Correlation in region 2 (rᵀx > 0)', { exact: true });
  await expect(r1).toHaveValue('0.9');
  await expect(r2).toHaveValue('-0.6');
  await expect(r2).toHaveAttribute('title', /Cosine between the tasks’ weight vectors on the inputs of region 2/);
  await r2.fill('-0.8');
  const sine = page.getByLabel('Sine weight s', { exact: true });
  await expect(sine).toHaveValue('1');
  await expect(sine).toHaveAttribute('title', /How much the sine terms count against the linear part/);
  await sine.fill('0.3');
  await expect(page).toHaveURL(/relationship%22%3A%22regional/);
  await expect(page).toHaveURL(/regionCorrelations%22%3A%5B0\.9%2C-0\.8%5D/);
  await expect(page).toHaveURL(/sineScale%22%3A0\.3/);

  // The data view colours the rows by region and gives each region's requested and measured r.
  const data = page.getByTestId('chart-data');
  await expect.poll(() => data.locator('circle.scatter-point[data-region="0"]').count(), { timeout: 30_000 }).toBeGreaterThan(20);
  expect(await data.locator('circle.scatter-point[data-region="1"]').count()).toBeGreaterThan(20);
  await expect(data).toContainText('region 1: rᵀx ≤ 0');
  await expect(data).toContainText('region 2: rᵀx > 0');
  for (const q of [0, 1]) await expect(page.getByTestId(`region-r-${q}-0-1`)).toHaveText(/^-?[01]\.\d{3}$/);
  const [m1, m2] = await Promise.all([0, 1].map(async (q) => Number(await page.getByTestId(`region-r-${q}-0-1`).textContent())));
  expect(m1).toBeGreaterThan(0); // requested +0.9
  expect(m2).toBeLessThan(0); // requested −0.8
  await data.screenshot({ path: testInfo.outputPath('regional-data-view.png') });
  await testInfo.attach('regional-data-view', { path: testInfo.outputPath('regional-data-view.png'), contentType: 'image/png' });
  await page.getByRole('complementary', { name: 'Settings' }).screenshot({ path: testInfo.outputPath('regional-settings.png') });

  // A link restores the regional settings.
  const url = page.url();
  const other = await context.newPage();
  await other.goto(url);
  await expect(other.getByLabel('Task relationship', { exact: true })).toHaveValue('regional');
  await expect(other.getByLabel('Correlation in region 2 (rᵀx > 0)', { exact: true })).toHaveValue('-0.8');
  await expect(other.getByLabel('Sine weight s', { exact: true })).toHaveValue('0.3');
  await other.close();

  // Three tasks: −0.8 is impossible there, and the field says so in words; Play says why it is disabled.
  const play = page.getByRole('button', { name: 'Play' });
  await page.getByLabel('Number of tasks').selectOption('3');
  await expect(r2).toHaveAccessibleDescription('Correlation in region 2 (rᵀx > 0): region 2 correlation -0.8 is impossible for 3 tasks (must be ≥ -0.500): the matrix is not positive semi-definite');
  await expect(r2).toHaveAttribute('aria-invalid', 'true');
  await expect(play).toBeDisabled();
  await expect(page.getByTestId('train-blocker')).toContainText('region 2 correlation -0.8 is impossible for 3 tasks');
  await r2.fill('-0.4');
  await expect(play).toBeEnabled();
  await page.getByLabel('Number of tasks').selectOption('2');
  // A typo reads as one too.
  await r1.fill('abc');
  await expect(r1).toHaveAccessibleDescription(/Correlation in region 1 \(rᵀx ≤ 0\): must be a number from -1 to 1/);
  await expect(play).toBeDisabled();
  await r1.fill('0.9');
  await expect(play).toBeEnabled();

  // An imported file may give a region as a matrix: shown read-only with a note, kept, and replaceable by one number.
  const file = { config: { backend: 'wasm', data: { relationship: 'regional', regionCorrelations: [[[1, 0.7], [0.7, 1]], -0.5], sineScale: 0.5 } } };
  await page.getByTestId('import-config').setInputFiles({ name: 'regional.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await expect(page.getByTestId('notice').filter({ hasText: 'Loaded the config from regional.json' })).toBeVisible();
  const matrix = page.getByTestId('region-matrix-0');
  await expect(matrix).toContainText('Correlation in region 1 (rᵀx ≤ 0): a 2×2 matrix');
  await expect(matrix).toContainText('kept as it is');
  await expect(matrix.locator('input')).toHaveCount(0);
  await expect(page.getByLabel('Correlation in region 1 (rᵀx ≤ 0)', { exact: true })).toHaveCount(0);
  await expect(r2).toHaveValue('-0.5');
  await expect(page.getByLabel('Sine weight s', { exact: true })).toHaveValue('0.5');
  await expect(page).toHaveURL(/regionCorrelations%22%3A%5B%5B%5B1%2C0\.7%5D/);
  await expect(play).toBeEnabled();
  await page.getByTestId('region-correlations').screenshot({ path: testInfo.outputPath('region-matrix-read-only.png') });
  await matrix.getByRole('button', { name: 'use one number (0.7)' }).click();
  await expect(page.getByLabel('Correlation in region 1 (rᵀx ≤ 0)', { exact: true })).toHaveValue('0.7');
  await expect(page).toHaveURL(/regionCorrelations%22%3A%5B0\.7%2C-0\.5%5D/);
  // Back to one global correlation.
  await relationship.selectOption('global');
  await expect(page.getByLabel('Correlation p', { exact: true })).toBeVisible();
  await expect(page.getByTestId('region-correlations')).toHaveCount(0);
  await expect.poll(() => data.locator('circle.scatter-point[data-region]').count(), { timeout: 30_000 }).toBe(0);
});

test('preset bar: mechanism and one badge per claim from docs/findings.json; the article lists every finding', async ({ page }, testInfo) => {
  await page.goto(`/#config=${WASM}`);
  await waitReady(page);
  const byId = new Map(FINDINGS.findings.map((f) => [f.id, f]));
  let badges = 0;
  for (const p of PRESETS) {
    await page.getByRole('button', { name: p.title, exact: true }).click();
    await expect(page.getByTestId('preset-description')).toContainText(p.title);
    await expect(page.getByTestId('preset-mechanism')).toHaveText(`Mechanism: ${p.mechanism}`);
    const bar = page.getByTestId('preset-claims');
    const badge = bar.getByTestId('claim-badge');
    await expect(badge).toHaveCount(p.claims.length);
    if (p.claims.length === 0) {
      await expect(bar).toHaveText('This preset’s text makes no measured claim.');
      continue;
    }
    badges += p.claims.length;
    const warnings: string[] = [];
    for (const [i, c] of p.claims.entries()) {
      const f = byId.get(c.finding);
      await expect(badge.nth(i)).toHaveText(`${c.finding} ${f?.verdict ?? 'missing'}`);
      if (f) await expect(badge.nth(i)).toHaveAttribute('title', f.claim);
      if (!f) warnings.push(`this text was written for ${c.finding} = ${c.verdict}; the latest run has no finding ${c.finding}.`);
      else if (f.verdict !== c.verdict) warnings.push(`this text was written for ${c.finding} = ${c.verdict}; the latest run says ${f.verdict}.`);
    }
    // A claim the latest run no longer supports is said in plain view.
    await expect(bar.getByTestId('claim-warning')).toHaveCount(warnings.length);
    for (const [i, w] of warnings.entries()) await expect(bar.getByTestId('claim-warning').nth(i)).toHaveText(`Out of date: ${w}`);
    // The full finding (claim, verdict, numbers, rule) one click away.
    const detail = bar.getByTestId('claim-detail').first();
    await expect(detail).toBeHidden();
    await bar.locator('summary').click();
    await expect(detail).toBeVisible();
    const f0 = byId.get(p.claims[0].finding);
    if (f0) {
      await expect(detail).toContainText(f0.claim);
      await expect(detail).toContainText(`Numbers: ${f0.evidence}`);
      await expect(detail).toContainText(`Rule: ${f0.rule}`);
    }
    if (p.id === 'mmoe-vs-cgc') await page.getByTestId('preset-claims').screenshot({ path: testInfo.outputPath('preset-claims-open.png') });
    await bar.locator('summary').click();
  }
  await page.getByRole('button', { name: 'MMoE vs CGC gate usage', exact: true }).click();
  await page.getByRole('region', { name: 'Presets' }).screenshot({ path: testInfo.outputPath('preset-bar.png') });
  await testInfo.attach('preset-bar', { path: testInfo.outputPath('preset-bar.png'), contentType: 'image/png' });

  // The article: every finding once, grouped by part, with its claim, its verdict in words and its numbers.
  const section = page.getByTestId('article-findings');
  await expect(section.getByRole('heading', { name: 'What the runs show' })).toBeVisible();
  await expect(section).toContainText(`${FINDINGS.mode} mode`);
  await expect(section.getByTestId('findings-part')).toHaveCount(new Set(FINDINGS.findings.map((f) => f.part)).size);
  const items = section.getByTestId('article-finding');
  await expect(items).toHaveCount(FINDINGS.findings.length);
  const words: Record<string, string> = { shown: 'The runs show it.', 'partly shown': 'The runs show it only in part.', 'not shown': 'The runs do not show it.' };
  for (const f of FINDINGS.findings) {
    const li = section.locator(`[data-testid=article-finding][data-finding="${f.id}"]`);
    await expect(li).toHaveAttribute('data-verdict', f.verdict);
    await expect(li).toContainText(f.claim);
    await expect(li).toContainText(words[f.verdict]);
    await expect(li.locator('.finding-evidence')).toHaveText(f.evidence);
  }
  for (const part of new Set(FINDINGS.findings.map((f) => f.part)))
    await expect(section.locator(`[data-part="${part}"] [data-testid=article-finding]`)).toHaveCount(FINDINGS.findings.filter((f) => f.part === part).length);
  if (FINDINGS.mode !== 'full') await expect(section.getByTestId('findings-provisional')).toBeVisible();
  // A part's preset link loads it.
  await section.locator('[data-part="regional"]').getByRole('link').click();
  await expect(page).toHaveURL(/preset=mmoe-vs-cgc/);
  await section.screenshot({ path: testInfo.outputPath('article-findings.png') });
  await testInfo.attach('article-findings', { path: testInfo.outputPath('article-findings.png'), contentType: 'image/png' });
  // Last, so that the article is checked either way: the presets must declare what their text relies on.
  expect(badges, 'no preset declares a claim (presets.ts claims)').toBeGreaterThan(0);
});
