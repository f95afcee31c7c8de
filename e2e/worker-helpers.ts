// Helpers for driving the worker harness page (harness.html) from Playwright.
import type { Page } from '@playwright/test';
import type { ExperimentInput } from '../src/core/config/schema';
import type { Command } from '../src/worker/protocol';
import { expect, test } from './fixtures';

export type Ev = Record<string, unknown> & { type: string; at: number };
export type Snap = Ev & { step: number; status: string; curveSteps: number[]; curveLoss: number[]; gates: { step: number; levels: { gates: { mean: number[] }[] }[] } | null };

export const small = (train: object = {}, backend = 'wasm'): ExperimentInput =>
  ({
    data: { nTrain: 1024, nVal: 128, nTest: 256, inputDim: 32 },
    model: { type: 'ple', levels: 2, sharedExperts: 2, specificExperts: 1, expertHidden: [16], towerHidden: [8] },
    train: { steps: 300, batchSize: 128, evalEvery: 100, readbackEvery: 5, learningRate: 0.01, ...train },
    backend,
  }) as ExperimentInput;

export async function openHarness(page: Page): Promise<void> {
  await page.goto('/harness.html');
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
}

export const send = (page: Page, cmd: Command) => page.evaluate((c) => window.__ple.send(c), cmd);
export const count = (page: Page) => page.evaluate(() => window.__ple.events.length);
export const events = (page: Page, from = 0) => page.evaluate((f) => window.__ple.events.slice(f), from) as Promise<Ev[]>;
export const stats = (page: Page) =>
  page.evaluate(() => window.__ple.request({ type: 'stats' })) as Promise<Ev & { numTensors: number; step: number; status: string; backend: string }>;

/**
 * Wait for the first event after index `from` of `type` whose fields equal `where`
 * (and whose step is ≥ minStep). An 'error' event fails the wait at once.
 */
export async function waitFor<T extends Ev = Ev>(
  page: Page,
  from: number,
  type: string,
  where: Record<string, unknown> = {},
  opts: { minStep?: number; timeout?: number } = {},
): Promise<T> {
  const handle = await page.waitForFunction(
    ({ from, type, where, minStep }) => {
      const evs = window.__ple.events.slice(from);
      const err = evs.find((e) => e.type === 'error');
      if (err) return { __error: String(err.message) };
      return (
        evs.find(
          (e) =>
            e.type === type &&
            Object.entries(where).every(([k, v]) => e[k] === v) &&
            (minStep === undefined || (e.step as number) >= minStep),
        ) ?? null
      );
    },
    { from, type, where, minStep: opts.minStep },
    { timeout: opts.timeout ?? 60_000, polling: 50 },
  );
  const value = (await handle.jsonValue()) as T | { __error: string };
  if ('__error' in value) throw new Error(`worker reported an error: ${value.__error}`);
  return value as T;
}

export async function reportLongTasks(page: Page, label: string, fromMs: number, toMs: number): Promise<number> {
  const tasks = await page.evaluate(() => window.__ple.longTasks);
  const during = tasks.filter((t) => t.start >= fromMs && t.start <= toMs);
  const worst = during.reduce((m, t) => Math.max(m, t.duration), 0);
  const text = `${during.length} main-thread long task(s) ≥ 50 ms during ${((toMs - fromMs) / 1000).toFixed(1)} s of ${label}${during.length ? ` (longest ${worst.toFixed(0)} ms)` : ''}`;
  test.info().annotations.push({ type: 'main-thread long tasks', description: text });
  console.log(`[${test.info().title}] ${text}`);
  return during.length;
}
