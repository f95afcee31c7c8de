// Screenshots of every preset after a short training: the first screen at
// 1280×800 and at 390×844 (a phone), written to docs/screenshots/<preset>-<width>.png.
// `npm run screenshots` builds first; this serves dist/ with `vite preview`.
//   npx tsx scripts/screenshots.ts [--only ple,seesaw] [--widths 1280,390] [--out dir] [--full]
// --full also writes the whole page (<preset>-<width>-full.png), for a look below the fold.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { PRESETS } from '../src/core/config/presets';
import { CHROMIUM, CHROMIUM_ARGS } from '../playwright.config';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = opt('only')?.split(',');
const widths = (opt('widths') ?? '1280,390').split(',').map(Number);
const out = opt('out') ?? 'docs/screenshots';
const full = args.includes('--full');
const port = Number(process.env.PLE_E2E_PORT ?? 4330);

/** Short training: enough steps for curves, gates and a seesaw point; suites with many runs get fewer. */
function overrides(id: string): string {
  const runs = PRESETS.find((p) => p.id === id);
  const many = runs?.kind === 'suite' && runs.variants.length > 6;
  const steps = many ? 60 : 200;
  const every = many ? 20 : 50;
  return encodeURIComponent(JSON.stringify({ backend: 'wasm', train: { steps, evalEvery: every, gradCosineEvery: every } }));
}

async function waitFor(url: string, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`no server at ${url} after ${ms} ms`);
}

async function shoot(page: Page, id: string, width: number) {
  await page.goto(`http://localhost:${port}/#preset=${id}&config=${overrides(id)}`);
  await page.getByTestId('backend-badge').getByText(/WASM/).waitFor({ timeout: 90_000 });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.getByTestId('run-phase').getByText('done').waitFor({ timeout: 600_000 });
  // Let the last redraws land (charts redraw at most every 250 ms, through animation frames).
  await page.waitForTimeout(1200);
  await page.evaluate(() => window.scrollTo(0, 0));
  const file = join(out, `${id}-${width}.png`);
  await page.screenshot({ path: file });
  if (full) await page.screenshot({ path: join(out, `${id}-${width}-full.png`), fullPage: true });
  console.log(`wrote ${file}`);
}

async function main() {
  mkdirSync(out, { recursive: true });
  const server: ChildProcess = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
  try {
    await waitFor(`http://localhost:${port}/`, 60_000);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      for (const width of widths) {
        const page = await browser.newPage({ viewport: { width, height: width >= 1000 ? 800 : 844 }, deviceScaleFactor: 1 });
        for (const p of PRESETS) if (!only || only.includes(p.id)) await shoot(page, p.id, width);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  } finally {
    // The whole process group: npx and the vite it started.
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
