// Short training for layout and legibility checks: the preset's own data and
// models, WASM, a few steps (suites with many runs get fewer), every chart fed.
import type { Page } from '@playwright/test';
import { PRESETS } from '../src/core/config/presets';
import { expect } from './fixtures';

export function shortOverrides(presetId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const p = PRESETS.find((x) => x.id === presetId);
  const many = p?.kind === 'suite' && p.variants.length > 6;
  const steps = many ? 30 : 60;
  const every = many ? 15 : 20;
  return { backend: 'wasm', train: { steps, evalEvery: every, gradCosineEvery: every }, ...extra };
}

/** `/#preset=<id>&config=<short overrides>` */
export function shortUrl(presetId: string, extra: Record<string, unknown> = {}): string {
  return `/#preset=${presetId}&config=${encodeURIComponent(JSON.stringify(shortOverrides(presetId, extra)))}`;
}

export async function waitReady(page: Page) {
  await expect(page.getByTestId('backend-badge')).toContainText('WASM', { timeout: 60_000 });
}

/** Play, then wait for the run (or suite) to finish and the charts' last redraw (≤ 250 ms, then a frame). */
export async function playToEnd(page: Page, timeout = 180_000) {
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(page.getByTestId('run-phase')).toHaveText('done', { timeout });
  await page.waitForTimeout(600);
}
