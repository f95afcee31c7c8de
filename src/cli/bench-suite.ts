// `npm run bench:suite [-- --json <file>] [--jobs <n>] [--seeds <list>] [--steps <n>]`
// Wall seconds of the seesaw preset over 5 seeds (12 models × 5 seeds = 60 runs,
// the preset's own steps) with one worker and with a pool, measured side by side
// in one run on this machine:
// - CLI: `npm run experiment -- --preset seesaw --seeds 1,2,3,4,5 --jobs 1`, then `--jobs n`;
// - page: the built page (vite preview) in headless Debian Chromium, "Run all
//   seeds" with Workers = 1, then Workers = n, from the click to "done".
// Writes { cli: { oneWorker, pool, jobs }, page: { oneWorker, pool, workers } }.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { preview } from 'vite';
import { CHROMIUM, CHROMIUM_ARGS } from '../../playwright.config';
import { getPreset, REPRODUCTION_SEEDS } from '../core/config/presets';
import { expandPreset } from '../core/config/suite';

const USAGE = `Usage: npm run bench:suite [-- --json <file>] [--jobs <n>] [--seeds <n,n,..>] [--steps <n>]

Wall seconds of the seesaw preset over seeds ${REPRODUCTION_SEEDS.join(',')} at its own steps, with one
worker and with a pool of n, in the CLI (npm run experiment --jobs) and in the
page (headless Chromium, the Workers field), side by side in one run.

Options:
  --json <file>     also write { cli: { oneWorker, pool, jobs }, page: { oneWorker, pool, workers } }
  --jobs <n>        the pool's size in both (default: this machine's cores, at least 2)
  --seeds <list>    other seeds (a quicker check; the figures are for ${REPRODUCTION_SEEDS.join(',')})
  --steps <n>       other steps per run (a quicker check; the figures are for the preset's ${getPreset('seesaw')!.steps})
  -h, --help        this help`;

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const log = (s: string) => process.stderr.write(`${s}\n`);
const round = (v: number) => Math.round(v * 10) / 10;
const load = () => os.loadavg()[0].toFixed(1);

interface Args {
  json?: string;
  jobs: number;
  seeds: number[];
  steps?: number;
  help: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { jobs: Math.max(2, os.availableParallelism()), seeds: [...REPRODUCTION_SEEDS], help: false };
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    if (tok === '-h' || tok === '--help') {
      args.help = true;
      continue;
    }
    const m = /^--(json|jobs|seeds|steps)(?:=(.*))?$/.exec(tok);
    if (!m) throw new Error(tok.startsWith('-') ? `unknown option ${tok} (see --help)` : `unexpected argument "${tok}"`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || value === '') throw new Error(`--${m[1]} needs a value`);
    const whole = (v: string, min: number, max: number) => {
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < min || n > max) throw new Error(`--${m[1]} must be a whole number from ${min} to ${max} (got "${v}")`);
      return n;
    };
    if (m[1] === 'json') args.json = value;
    else if (m[1] === 'jobs') args.jobs = whole(value, 2, 16);
    else if (m[1] === 'steps') args.steps = whole(value, 1, 1_000_000);
    else args.seeds = value.split(',').map((s) => whole(s.trim(), 1, 1_000_000));
  }
  return args;
}

/** One CLI run of the suite; wall seconds from spawn to exit. */
async function cliSeconds(args: Args, jobs: number): Promise<number> {
  const out = mkdtempSync(join(os.tmpdir(), `bench-suite-${jobs}-`));
  const argv = ['src/cli/experiment.ts', '--preset', 'seesaw', '--seeds', args.seeds.join(','), '--jobs', String(jobs), '--out', out, '--quiet'];
  if (args.steps) argv.push('--steps', String(args.steps));
  const t0 = performance.now();
  try {
    await new Promise<void>((ok, fail) => {
      const child = spawn(TSX, argv, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
      child.on('error', fail);
      child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`npm run experiment --jobs ${jobs} failed (exit ${code}): ${err.trim()}`))));
    });
    return (performance.now() - t0) / 1000;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** One page run of the suite on `workers` workers; wall seconds from Play to "done". */
async function pageSeconds(browser: Browser, base: string, args: Args, workers: number): Promise<number> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => log(`  page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') log(`  console error: ${m.text()}`);
  });
  try {
    await page.goto(`${base}#config=${encodeURIComponent(JSON.stringify({ backend: 'wasm' }))}`);
    await page.getByTestId('backend-badge').filter({ hasText: 'WASM' }).waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Seesaw', exact: true }).click();
    await page.getByLabel('Seeds', { exact: true }).fill(args.seeds.join(', '));
    if (args.steps) await page.getByLabel('Steps', { exact: true }).fill(String(args.steps));
    await page.getByLabel('Workers', { exact: true }).fill(String(workers));
    const t0 = performance.now();
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(
      () => {
        const t = document.querySelector('[data-testid="run-phase"]')?.textContent ?? '';
        if (t === 'error' || t === 'stopped') throw new Error(`the suite ended ${t}`);
        return t === 'done';
      },
      undefined,
      { timeout: 3 * 3600_000, polling: 250 },
    );
    const s = (performance.now() - t0) / 1000;
    const failed = await page.getByTestId('suite-table').getByText(/^failed:/).count();
    if (failed) throw new Error(`${failed} run(s) failed in the page`);
    return s;
  } finally {
    await page.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const runs = expandPreset(getPreset('seesaw')!, { seeds: args.seeds }).length;
  const what = `seesaw preset, ${runs} runs (seeds ${args.seeds.join(',')}, ${args.steps ?? getPreset('seesaw')!.steps} steps each)`;
  log(`bench:suite: ${what}; pool of ${args.jobs}; ${os.cpus().length} CPU(s), load ${load()}`);
  const loads: string[] = [load()];

  log('CLI, --jobs 1 …');
  const cliOne = await cliSeconds(args, 1);
  loads.push(load());
  log(`  ${cliOne.toFixed(1)} s (load ${load()}); CLI, --jobs ${args.jobs} …`);
  const cliPool = await cliSeconds(args, args.jobs);
  loads.push(load());
  log(`  ${cliPool.toFixed(1)} s (load ${load()})`);

  const server = await preview({ preview: { port: 4328, strictPort: false, open: false }, logLevel: 'warn' });
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error('vite preview did not report a URL (run vite build first)');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  let pageOne: number;
  let pagePool: number;
  try {
    log('page, Workers 1 …');
    pageOne = await pageSeconds(browser, base, args, 1);
    loads.push(load());
    log(`  ${pageOne.toFixed(1)} s (load ${load()}); page, Workers ${args.jobs} …`);
    pagePool = await pageSeconds(browser, base, args, args.jobs);
    loads.push(load());
    log(`  ${pagePool.toFixed(1)} s (load ${load()})`);
  } finally {
    await browser.close();
    await server.close();
  }

  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  process.stdout.write(
    [
      `${what}, wall seconds side by side on this machine:`,
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, Chromium ${browser.version()}; 1-min load average ${loads.join(' → ')}`,
      `CLI   1 process ${cliOne.toFixed(1)} s, ${args.jobs} processes ${cliPool.toFixed(1)} s: ${ratio(cliOne, cliPool)}× faster`,
      `page  1 worker  ${pageOne.toFixed(1)} s, ${args.jobs} workers   ${pagePool.toFixed(1)} s: ${ratio(pageOne, pagePool)}× faster`,
      '',
    ].join('\n'),
  );
  if (args.json) {
    const json = { cli: { oneWorker: round(cliOne), pool: round(cliPool), jobs: args.jobs }, page: { oneWorker: round(pageOne), pool: round(pagePool), workers: args.jobs } };
    writeFileSync(args.json, `${JSON.stringify(json, null, 2)}\n`);
    log(`wrote ${args.json}`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`error: ${(e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
});
