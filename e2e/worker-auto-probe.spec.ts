// `auto` chooses the backend by timing the run's own config (src/worker/backends.ts
// selectMeasured). Here the only WebGPU adapter is SwiftShader: auto leaves a
// software adapter untimed unless the test hook asks to time it like hardware.
import type { ExperimentInput } from '../src/core/config/schema';
import { expect, test } from './fixtures';
import { count, openHarness, send, small, waitFor, type Ev } from './worker-helpers';

type Ready = Ev & { backend: string; attempts: { backend: string; ok: boolean; reason: string; stepsPerSec?: number | null }[] };
const auto = (model: object = {}): ExperimentInput => ({ ...small({ steps: 40 }, 'auto'), ...(Object.keys(model).length ? { model: { ...small().model, ...model } } : {}) }) as ExperimentInput;
const rate = /(\d+(\.\d+)? steps\/s|no step within the probe)/;

test('auto times WebGPU (software adapter, via the hook) and WASM on the config, shows both and keeps the faster; cached per shape', async ({ page }) => {
  test.setTimeout(180_000);
  await openHarness(page);
  await send(page, { type: 'probeHooks', softwareWebGPU: true });
  let from = await count(page);
  await send(page, { type: 'start', runId: 'a1', config: auto() });
  const ready = await waitFor<Ready>(page, from, 'ready');
  const gpu = ready.attempts.find((a) => a.backend === 'webgpu')!;
  const wasm = ready.attempts.find((a) => a.backend === 'wasm')!;
  // Both were timed: a number (or "no step" for a GPU whose first step outlasts the probe).
  expect(gpu.stepsPerSec === null || gpu.stepsPerSec! > 0).toBe(true);
  expect(wasm.stepsPerSec).toBeGreaterThan(0);
  expect(gpu.reason).toMatch(/^measured /);
  expect(wasm.reason).toMatch(/^measured \d/);
  const faster = (gpu.stepsPerSec ?? -1) > wasm.stepsPerSec! ? 'webgpu' : 'wasm';
  expect(ready.backend).toBe(faster);
  expect(ready.attempts.find((a) => a.backend === faster)!.ok).toBe(true);
  await expect(page.locator('#measured')).toHaveText(new RegExp(`^WebGPU ${rate.source} vs WASM \\d+(\\.\\d+)? steps/s → ${faster === 'wasm' ? 'WASM' : 'WebGPU'}$`));
  const done = await waitFor<Ev & { results: { backend: string; status: string }[] }>(page, from, 'done', {}, { timeout: 90_000 });
  expect(done.results[0]).toMatchObject({ backend: faster, status: 'done' });

  // Same shape again: no new timing, the cached choice says so.
  from = await count(page);
  await send(page, { type: 'start', runId: 'a2', config: { ...auto(), train: { ...auto().train, learningRate: 0.02 } } as ExperimentInput });
  await waitFor(page, from, 'runStarted', { runId: 'a2' });
  // A cached choice is not re-announced: the last 'ready' still holds the measurement.
  const evs = (await page.evaluate((f) => window.__ple.events.slice(f), from)) as Ev[];
  expect(evs.filter((e) => e.type === 'ready')).toHaveLength(0);
  await send(page, { type: 'stop' });

  // Another shape: measured afresh.
  from = await count(page);
  await send(page, { type: 'start', runId: 'a3', config: auto({ expertHidden: [24] }) });
  const third = await waitFor<Ready>(page, from, 'ready');
  expect(third.attempts.find((a) => a.backend === 'wasm')!.stepsPerSec).toBeGreaterThan(0);
  await send(page, { type: 'stop' });
});

test('a forced choice skips the probe', async ({ page }) => {
  await openHarness(page);
  await send(page, { type: 'probeHooks', softwareWebGPU: true });
  const from = await count(page);
  await send(page, { type: 'start', runId: 'f', config: small({ steps: 20 }, 'wasm') });
  const ready = await waitFor<Ready>(page, from, 'ready');
  expect(ready.backend).toBe('wasm');
  expect(ready.attempts.every((a) => a.stepsPerSec === undefined)).toBe(true);
  expect(ready.attempts.at(-1)!.reason).toMatch(/^forced; /);
  await expect(page.locator('#measured')).toHaveText('');
  await waitFor(page, from, 'done');
});

test('a candidate whose probe fails is reported with the reason; auto falls back to the other', async ({ page }) => {
  await openHarness(page);
  await send(page, { type: 'probeHooks', softwareWebGPU: true, failBackends: ['webgpu'] });
  const from = await count(page);
  await send(page, { type: 'start', runId: 'x', config: auto() });
  const ready = await waitFor<Ready>(page, from, 'ready');
  expect(ready.backend).toBe('wasm');
  const gpu = ready.attempts.find((a) => a.backend === 'webgpu')!;
  expect(gpu.ok).toBe(false);
  expect(gpu.reason).toMatch(/the timing probe failed \(simulated failure \(test hook\)\)/);
  await expect(page.locator('#attempts')).toContainText('webgpu: skipped — the timing probe failed');
  await expect(page.locator('#measured')).toHaveText(/^WASM \d+(\.\d+)? steps\/s → WASM$/);
  const done = await waitFor<Ev & { results: { backend: string }[] }>(page, from, 'done');
  expect(done.results[0].backend).toBe('wasm');
});

test('without the hook, auto leaves the software adapter untimed and says why', async ({ page }) => {
  await openHarness(page);
  const from = await count(page);
  await send(page, { type: 'start', runId: 's', config: auto() });
  const ready = await waitFor<Ready>(page, from, 'ready');
  expect(ready.backend).toBe('wasm');
  expect(ready.attempts.find((a) => a.backend === 'webgpu')!.reason).toMatch(/software \(fallback\) WebGPU adapter.*does not time it/);
  expect(ready.attempts.find((a) => a.backend === 'wasm')!.reason).toMatch(/only usable candidate/);
  await expect(page.locator('#measured')).toHaveText('');
  await waitFor(page, from, 'done');
});

test('the page badge shows the measurement', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await expect(page.getByTestId('backend-badge')).toContainText(/WASM/, { timeout: 60_000 });
  await page.evaluate(() => new BroadcastChannel('ple-probe-hooks').postMessage({ softwareWebGPU: true }));
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('backend-measured')).toHaveText(new RegExp(`^WebGPU ${rate.source} vs WASM \\d+(\\.\\d+)? steps/s → (WASM|WebGPU)$`), { timeout: 60_000 });
});
