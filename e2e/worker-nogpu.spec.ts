// Forcing a backend the browser cannot give falls back, and says why.
// Same Chromium without --enable-unsafe-webgpu: navigator.gpu exists but
// requestAdapter() returns null. (Launch options need a file of their own.)
import { CHROMIUM, CHROMIUM_ARGS } from '../playwright.config';
import { expect, test } from './fixtures';
import { count, openHarness, send, small, waitFor, type Ev } from './worker-helpers';

test.use({ launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-webgpu') } });

test('forcing an unavailable WebGPU falls back to WASM and shows why', async ({ page }) => {
  await openHarness(page);
  await send(page, { type: 'init', backend: 'webgpu' });
  const ready = await waitFor<Ev & { attempts: { backend: string; ok: boolean; reason: string }[] }>(page, 0, 'ready');
  expect(ready.backend).toBe('wasm');
  expect(ready.attempts[0]).toMatchObject({ backend: 'webgpu', ok: false });
  expect(ready.attempts[0].reason).toMatch(/requestAdapter\(\) returned null/);
  await expect(page.locator('#attempts')).toContainText('webgpu: skipped — no WebGPU adapter');

  const from = await count(page);
  await send(page, { type: 'start', runId: 'fallback', config: small({ steps: 20 }, 'webgpu') });
  const done = await waitFor<Ev & { results: { backend: string; steps: number }[] }>(page, from, 'done');
  expect(done.results[0]).toMatchObject({ backend: 'wasm', steps: 20 });
});

test('auto with no WebGPU adapter takes WASM untimed and says why', async ({ page }) => {
  await openHarness(page);
  await send(page, { type: 'probeHooks', softwareWebGPU: true });
  const from = await count(page);
  await send(page, { type: 'start', runId: 'auto', config: small({ steps: 20 }, 'auto') });
  const ready = await waitFor<Ev & { attempts: { backend: string; ok: boolean; reason: string; stepsPerSec?: number }[] }>(page, from, 'ready');
  expect(ready.backend).toBe('wasm');
  expect(ready.attempts[0]).toMatchObject({ backend: 'webgpu', ok: false });
  expect(ready.attempts[0].reason).toMatch(/requestAdapter\(\) returned null/);
  expect(ready.attempts[1].reason).toMatch(/only usable candidate/);
  await expect(page.locator('#measured')).toHaveText('');
  await waitFor(page, from, 'done');
});
