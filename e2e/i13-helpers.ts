// Shared by the issue-13 specs: small, fast configs on WASM and the waits they need.
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** A single run small enough to train a few steps at once, long enough to stay running. */
export const SMALL = { backend: 'wasm', data: { nTrain: 512, nVal: 64, nTest: 64 }, train: { steps: 5000, batchSize: 64 } };
export const hashOf = (cfg: unknown) => `/#config=${encodeURIComponent(JSON.stringify(cfg))}`;

export async function waitReady(page: Page) {
  await expect(page.getByTestId('backend-badge')).toContainText(/WASM|WEBGPU|WEBGL|CPU/, { timeout: 60_000 });
}

export const stepOf = async (page: Page) => Number(await page.getByTestId('step-counter').textContent());
