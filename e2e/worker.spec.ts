// The training worker in a real page (harness.html), real TF.js backends, no mocks.
import type { ExperimentInput } from '../src/core/config/schema';
import { expect, test } from './fixtures';
import { count, events, openHarness, reportLongTasks, send, small, stats, waitFor, type Ev, type Snap } from './worker-helpers';

test('WASM: loss falls, gate means sum to 1, snapshots are rate-capped, long tasks counted', async ({ page }) => {
  await openHarness(page);
  await send(page, { type: 'init', backend: 'wasm' });
  const ready = await waitFor<Ev & { attempts: { backend: string; ok: boolean; reason: string }[] }>(page, 0, 'ready', { backend: 'wasm' });
  // The engine's own SIMD kernels (gate mixing, Adam) loaded onto TF.js's heap in the worker.
  expect(ready.attempts.at(-1)).toMatchObject({ backend: 'wasm', ok: true });
  expect(ready.attempts.at(-1)!.reason).toContain("playground's SIMD kernels");
  const before = (await stats(page)).numTensors;

  const from = await count(page);
  await send(page, { type: 'start', runId: 'wasm-1', config: small({ steps: 300 }) });
  const started = await waitFor(page, from, 'runStarted', { runId: 'wasm-1' });
  const done = await waitFor<Ev & { results: { status: string; steps: number; backend: string }[] }>(page, from, 'done', {}, { timeout: 90_000 });
  expect(done.results[0]).toMatchObject({ status: 'done', steps: 300, backend: 'wasm' });

  const snaps = (await events(page, from)).filter((e) => e.type === 'snapshot') as Snap[];
  const steps = snaps.flatMap((s) => s.curveSteps);
  expect(steps).toEqual([...steps].sort((a, b) => a - b));
  const losses = snaps.flatMap((s) => s.curveSteps.map((_, i) => s.curveLoss[i * 3])); // joint, task 1, task 2
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  expect(losses.length).toBeGreaterThan(20);
  expect(mean(losses.slice(-5))).toBeLessThan(0.8 * mean(losses.slice(0, 5)));

  // Gate statistics arrive while training (subset) and at the end (full test set).
  expect(snaps.some((s) => s.status === 'running' && s.gates !== null)).toBe(true);
  const last = snaps[snaps.length - 1];
  expect(last.status).toBe('done');
  expect(last.gates!.levels).toHaveLength(2);
  for (const level of last.gates!.levels)
    for (const gate of level.gates) expect(Math.abs(gate.mean.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-4);

  // ≤ 20 snapshots in any second (+1 for receipt jitter on the page side).
  for (let i = 0; i < snaps.length; i++) expect(snaps.filter((s) => s.at >= snaps[i].at && s.at < snaps[i].at + 1000).length).toBeLessThanOrEqual(21);

  await reportLongTasks(page, 'WASM training', started.at, done.at);

  // Export of the finished run: model.json, results.json and the curves as CSV.
  const exported = (await page.evaluate(() => window.__ple.request({ type: 'export' }))) as Ev & { modelJson: string; resultsJson: string; csv: string };
  expect(exported.type).toBe('exported');
  expect(JSON.parse(exported.resultsJson)).toMatchObject({ status: 'done', steps: 300, backend: 'wasm' });
  expect(Object.keys(JSON.parse(exported.modelJson)).length).toBeGreaterThan(2);
  expect(exported.csv.split('\n').length).toBeGreaterThan(10);

  const at = await count(page);
  await send(page, { type: 'stop' });
  const stopped = await waitFor<Ev & { numTensors: number }>(page, at, 'stopped');
  expect(stopped.numTensors).toBe(before);
});

test('pause, step(n), resume and stop do exactly that; stop frees every tensor', async ({ page }) => {
  await openHarness(page);
  await send(page, { type: 'init', backend: 'wasm' });
  await waitFor(page, 0, 'ready');
  const before = (await stats(page)).numTensors;

  let from = await count(page);
  await send(page, { type: 'start', runId: 'ctl', config: small({ steps: 1_000_000 }) });
  await waitFor(page, from, 'snapshot', { status: 'running' }, { minStep: 10 });

  from = await count(page);
  await send(page, { type: 'pause' });
  const paused = await waitFor<Snap>(page, from, 'snapshot', { status: 'paused' });
  const s = paused.step;
  await expect(page.locator('#status')).toHaveText('paused');
  // Still there after a round trip through the worker: nothing runs while paused.
  expect(await stats(page)).toMatchObject({ step: s, status: 'paused' });

  from = await count(page);
  await send(page, { type: 'step', n: 5 });
  await waitFor(page, from, 'snapshot', { status: 'paused', step: s + 5 });
  from = await count(page);
  await send(page, { type: 'step', n: 1 });
  await send(page, { type: 'step', n: 2 });
  await waitFor(page, from, 'snapshot', { status: 'paused', step: s + 8 });
  expect(await stats(page)).toMatchObject({ step: s + 8, status: 'paused' });
  const between = (await events(page, from)).filter((e) => e.type === 'snapshot') as Snap[];
  expect(Math.max(...between.map((e) => e.step))).toBe(s + 8);

  from = await count(page);
  await send(page, { type: 'resume' });
  await waitFor(page, from, 'snapshot', { status: 'running' }, { minStep: s + 20 });

  from = await count(page);
  await send(page, { type: 'stop' });
  const stopped = await waitFor<Ev & { step: number; numTensors: number }>(page, from, 'stopped', { runId: 'ctl' });
  const after = await stats(page);
  expect(after.status).toBe('idle');
  expect(stopped.numTensors).toBe(before);
  expect(after.numTensors).toBe(before);
  // Nothing arrives after 'stopped' (the stats reply came later, so the queue is flushed).
  const tail = await events(page, from);
  const stopIdx = tail.findIndex((e) => e.type === 'stopped');
  expect(tail.slice(stopIdx + 1).filter((e) => e.type === 'snapshot')).toEqual([]);

  // A fresh worker (what the page does after a crash) comes up and announces its backend.
  from = await count(page);
  await page.evaluate(() => window.__ple.client.restart('wasm'));
  await waitFor(page, from, 'ready', { backend: 'wasm' });
  expect((await stats(page)).numTensors).toBe(0);
});

test('forced WebGPU (SwiftShader) trains a few steps; a simulated device loss restarts on WASM from step 0', async ({ page }) => {
  test.setTimeout(240_000);
  await openHarness(page);
  await send(page, { type: 'init', backend: 'webgpu' });
  const ready = await waitFor<Ev & { attempts: { backend: string; ok: boolean; reason: string }[] }>(page, 0, 'ready', {}, { timeout: 60_000 });
  expect(ready.backend).toBe('webgpu');
  expect(ready.attempts[0].reason).toMatch(/software|fallback/);

  const tiny: ExperimentInput = {
    data: { nTrain: 256, nVal: 32, nTest: 64, inputDim: 16 },
    model: { type: 'ple', levels: 2, sharedExperts: 1, specificExperts: 1, expertHidden: [8], towerHidden: [4] },
    train: { steps: 60, batchSize: 32, evalEvery: 60, readbackEvery: 1 },
    backend: 'webgpu',
  };
  let from = await count(page);
  await send(page, { type: 'start', runId: 'gpu', config: tiny });
  // SwiftShader: the first step compiles every pipeline (3–20 s here).
  await waitFor(page, from, 'snapshot', { runId: 'gpu' }, { minStep: 3, timeout: 150_000 });
  const onGpu = await stats(page);
  expect(onGpu.backend).toBe('webgpu');
  expect(onGpu.step).toBeGreaterThanOrEqual(3);

  from = await count(page);
  await send(page, { type: 'simulateDeviceLoss' });
  const lost = await waitFor<Ev & { nextBackend: string; message: string; restartFromStep: number }>(page, from, 'deviceLost', {}, { timeout: 30_000 });
  expect(lost.nextBackend).toBe('wasm');
  expect(lost.restartFromStep).toBe(0);
  expect(lost.message).toMatch(/step 0/);
  const again = await waitFor<Ev & { attempts: { backend: string; ok: boolean; reason: string }[] }>(page, from, 'ready');
  expect(again.backend).toBe('wasm');
  expect(again.attempts[0]).toMatchObject({ backend: 'webgpu', ok: false });
  await expect(page.locator('#backend')).toHaveText('wasm');

  const done = await waitFor<Ev & { results: { backend: string; steps: number; status: string }[] }>(page, from, 'done', {}, { timeout: 60_000 });
  expect(done.results[0]).toMatchObject({ backend: 'wasm', steps: 60, status: 'done' });
  const restarted = (await events(page, from)).filter((e) => e.type === 'snapshot') as Snap[];
  expect(restarted[0].curveSteps[0]).toBe(1); // from step 0, not resumed
});
