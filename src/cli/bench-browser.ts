// `npm run bench [-- --json <file>] [--seconds <n>] [--backends wasm,webgl,...]`
// The browser side of the benchmark: serves dist/ (vite preview, production
// headers), drives headless Debian Chromium, and measures IN THE WORKER:
// - training steps/s per backend for the engine (the real training worker) and
//   for the per-expert matMul loop baseline (src/cli/bench/perExpertLoop.ts),
// - main-thread long tasks (≥ 50 ms) during a 30 s training run,
// - time from page load to the first snapshot (and from Play to it).
// Bench config = bench:core's (2 tasks, PLE 2 levels, 2+2 experts [64], towers [32], input 100, batch 256, Adam).
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { chromium, type Browser, type Page } from '@playwright/test';
import { preview } from 'vite';
import { CHROMIUM, CHROMIUM_ARGS } from '../../playwright.config';
import type { BackendChoice, ExperimentInput } from '../core/config/schema';

const BACKENDS = ['wasm', 'webgl', 'webgpu', 'cpu'] as const;
type Backend = (typeof BACKENDS)[number];

const USAGE = `Usage: npm run bench [-- --json <file>] [--seconds <n>] [--backends wasm,webgl,webgpu,cpu]

Steps/s of the engine (in the training worker) and of a per-expert matMul loop
(in a worker too) per TF.js backend in headless Chromium, main-thread long
tasks during a 30 s run, time from page load to the first snapshot, and the
bench config at batch 256 and 4096 per backend (engine called directly).

Options:
  --json <file>        also write the figures as JSON
  --seconds <n>        timed seconds per backend and model on WASM (default 15;
                       slower backends get proportionally less, see below)
  --backends <list>    comma-separated subset of wasm,webgl,webgpu,cpu
  -h, --help           this help`;

const READBACK = 10;
const benchConfig = (backend: BackendChoice): ExperimentInput => ({
  data: { tasks: [{ type: 'regression' }, { type: 'regression' }], inputDim: 100, nTrain: 8192, nVal: 256, nTest: 256, correlation: 0.5, seed: 1 },
  model: { type: 'ple', levels: 2, specificExperts: 2, sharedExperts: 2, expertHidden: [64], towerHidden: [32], gateHidden: [] },
  // Same as bench:core: no clipping, loss read back every 10 steps, no validation in the window.
  train: { batchSize: 256, learningRate: 0.003, adamEpsilon: 1e-7, clipNorm: 0, steps: 1_000_000, evalEvery: 1_000_000, readbackEvery: READBACK, initSeed: 2, batchSeed: 3 },
  backend,
});

/**
 * Warm-up steps (the first steps compile kernels/shaders), share of --seconds, and
 * how long a step may take, per backend. WebGPU on SwiftShader: ~1 step/s idle,
 * 10–25 s per step on a loaded 2-core machine, first step up to a minute.
 */
const PLAN: Record<Backend, { warmup: number; timeShare: number; slowMs: number }> = {
  wasm: { warmup: 50, timeShare: 1, slowMs: 180_000 },
  webgl: { warmup: 20, timeShare: 0.7, slowMs: 300_000 },
  webgpu: { warmup: 1, timeShare: 1, slowMs: 600_000 },
  cpu: { warmup: 10, timeShare: 0.7, slowMs: 300_000 },
};
const LONG_TASK_RUN_S = 30;
/** The issue's batch sweep: the bench config at these batch sizes, engine called directly, per backend. */
const SWEEP_BATCHES = [256, 4096] as const;

interface Args {
  json?: string;
  seconds: number;
  backends: Backend[];
  help: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { seconds: 15, backends: [...BACKENDS], help: false };
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    if (tok === '-h' || tok === '--help') {
      args.help = true;
      continue;
    }
    const m = /^--(json|seconds|backends)(?:=(.*))?$/.exec(tok);
    if (!m) throw new Error(tok.startsWith('-') ? `unknown option ${tok} (see --help)` : `unexpected argument "${tok}"`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || value === '') throw new Error(`--${m[1]} needs a value`);
    if (m[1] === 'json') args.json = value;
    else if (m[1] === 'seconds') {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 2 || n > 600) throw new Error(`--seconds must be between 2 and 600 (got ${value})`);
      args.seconds = n;
    } else {
      const list = value.split(',').map((s) => s.trim());
      const bad = list.filter((b) => !(BACKENDS as readonly string[]).includes(b));
      if (bad.length) throw new Error(`--backends: unknown backend ${bad.join(', ')} (choose from ${BACKENDS.join(', ')})`);
      args.backends = list as Backend[];
    }
  }
  return args;
}

const log = (s: string) => process.stderr.write(`${s}\n`);
const round = (v: number | null, d = 1) => (v === null ? null : Math.round(v * 10 ** d) / 10 ** d);
/** Rates below 1 step/s (SwiftShader WebGPU, CPU) keep two decimals. */
const rate = (v: number) => v.toFixed(v < 1 ? 2 : 1);
const roundRate = (v: number | null) => round(v, v !== null && v < 1 ? 3 : 1);

type Ev = { type: string; at: number; step?: number; backend?: string; message?: string; attempts?: { backend: string; ok: boolean; reason: string }[] };

async function openHarness(browser: Browser, base: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => log(`  page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') log(`  console error: ${m.text()}`);
  });
  await page.goto(`${base}harness.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  return page;
}

/**
 * First event after `from` of `type` with step ≥ minStep and at ≥ minAt (and, with
 * `synced`, at a read-back step: 1 or a multiple of READBACK); an 'error' event throws.
 */
async function waitEvent(
  page: Page,
  from: number,
  type: string,
  opts: { minStep?: number; minAt?: number; synced?: boolean; timeoutMs?: number } = {},
): Promise<Ev> {
  const h = await page.waitForFunction(
    ({ from, type, minStep, minAt, mult }) => {
      const evs = window.__ple.events.slice(from);
      const err = evs.find((e) => e.type === 'error');
      if (err) return { type: '__error', message: String(err.message), at: 0 };
      // (No named helpers in here: tsx would wrap them in __name(), which the page lacks.)
      return (
        evs.find(
          (e) =>
            e.type === type &&
            Number(e.step ?? 0) >= minStep &&
            (Number(e.step ?? 0) % mult === 0 || Number(e.step) === 1) &&
            e.at >= minAt,
        ) ?? null
      );
    },
    { from, type, minStep: opts.minStep ?? 0, minAt: opts.minAt ?? 0, mult: opts.synced ? READBACK : 1 },
    { timeout: opts.timeoutMs ?? 180_000, polling: 100 },
  );
  const ev = (await h.jsonValue()) as Ev;
  if (ev.type === '__error') throw new Error(`worker error: ${ev.message}`);
  return ev;
}

const eventCount = (page: Page) => page.evaluate(() => window.__ple.events.length);

interface BackendFigures {
  /** The engine inside the training worker: the real pipeline (chunks, snapshots, gate stats). */
  stepsPerSec: number | null;
  /** The engine's Trainer called in a plain loop in a worker: the training worker's overhead is the difference. */
  engineDirectStepsPerSec: number | null;
  perExpertLoopStepsPerSec: number | null;
  engineVsLoop: number | null;
  firstStepMs: number | null;
  timedSteps: number;
  timedSeconds: number;
  note: string;
}

async function benchBackend(browser: Browser, base: string, backend: Backend, seconds: number): Promise<BackendFigures> {
  const plan = PLAN[backend];
  const secs = Math.max(2, seconds * plan.timeShare);
  const page = await openHarness(browser, base);
  try {
    await page.evaluate((b) => window.__ple.send({ type: 'init', backend: b }), backend);
    const ready = await waitEvent(page, 0, 'ready', { timeoutMs: 60_000 });
    const mine = ready.attempts?.find((a) => a.backend === backend);
    if (ready.backend !== backend) {
      return { stepsPerSec: null, engineDirectStepsPerSec: null, perExpertLoopStepsPerSec: null, engineVsLoop: null, firstStepMs: null, timedSteps: 0, timedSeconds: 0, note: `unavailable: ${mine?.reason ?? 'not tried'}` };
    }
    log(`${backend}: ${mine?.reason ?? ''}`);
    const from = await eventCount(page);
    await page.evaluate((cfg) => window.__ple.send({ type: 'start', runId: 'bench', config: cfg }), benchConfig(backend));
    const started = await waitEvent(page, from, 'runStarted');
    const first = await waitEvent(page, from, 'snapshot', { minStep: 1, timeoutMs: plan.slowMs });
    // GPU backends queue work asynchronously: only a step whose loss was read back
    // (step 1 and multiples of readbackEvery) has really finished, so time between two of those.
    const a = await waitEvent(page, from, 'snapshot', { minStep: plan.warmup, synced: true, timeoutMs: plan.slowMs });
    const b = await waitEvent(page, from, 'snapshot', { minAt: a.at + secs * 1000, synced: true, timeoutMs: secs * 1000 + plan.slowMs });
    const engine = ((b.step! - a.step!) * 1000) / (b.at - a.at);
    await page.evaluate(() => window.__ple.send({ type: 'stop' }));
    await waitEvent(page, from, 'stopped');
    log(`  engine: ${rate(engine)} steps/s (${b.step! - a.step!} steps in ${((b.at - a.at) / 1000).toFixed(1)} s)`);

    const notes: string[] = [];
    const direct = async (model: 'engine' | 'perExpertLoop', label: string): Promise<number | null> => {
      const r = await page.evaluate((req) => window.__ple.benchLoop(req), {
        model,
        backend,
        config: benchConfig(backend),
        warmupSteps: plan.warmup,
        seconds: secs,
      });
      if (r.type === 'result' && r.backend === backend) {
        log(`  ${label}: ${rate(r.stepsPerSec)} steps/s (${r.steps} steps in ${r.seconds.toFixed(1)} s)`);
        return r.stepsPerSec;
      }
      notes.push(r.type === 'error' ? `${label} failed: ${r.message}` : `${label} ran on ${r.backend}`);
      log(`  ${notes[notes.length - 1]}`);
      return null;
    };
    const loopRate = await direct('perExpertLoop', 'per-expert loop (bench worker)');
    const engineDirect = await direct('engine', 'engine called directly (bench worker)');
    const note = notes.join('; ');
    return {
      stepsPerSec: engine,
      engineDirectStepsPerSec: engineDirect,
      perExpertLoopStepsPerSec: loopRate,
      engineVsLoop: loopRate ? engine / loopRate : null,
      firstStepMs: first.at - started.at,
      timedSteps: b.step! - a.step!,
      timedSeconds: (b.at - a.at) / 1000,
      note,
    };
  } finally {
    await page.close();
  }
}

/**
 * The bench config at each SWEEP_BATCHES size on one backend (engine called directly
 * in the bench worker). Slow backends read back every 2 steps so a timed window
 * can end after a few of their multi-second steps.
 */
async function benchBatches(browser: Browser, base: string, backend: Backend, seconds: number): Promise<Record<string, number | null>> {
  const page = await openHarness(browser, base);
  const out: Record<string, number | null> = {};
  try {
    for (const batch of SWEEP_BATCHES) {
      const cfg = benchConfig(backend);
      const readbackEvery = backend === 'wasm' ? READBACK : 2;
      const config = { ...cfg, train: { ...cfg.train, batchSize: batch, readbackEvery } } as ExperimentInput;
      const r = await page.evaluate((req) => window.__ple.benchLoop(req), { model: 'engine' as const, backend, config, warmupSteps: backend === 'wasm' ? 20 : 2, seconds });
      out[batch] = r.type === 'result' && r.backend === backend ? r.stepsPerSec : null;
      log(`  ${backend} batch ${batch}: ${r.type === 'result' ? `${rate(r.stepsPerSec)} steps/s (${r.steps} steps in ${r.seconds.toFixed(1)} s)${r.backend !== backend ? ` on ${r.backend}` : ''}` : r.message}`);
    }
  } finally {
    await page.close();
  }
  return out;
}

/** Fresh page, Play at once on the default backend: time to first snapshot, then long tasks over 30 s. */
async function benchPage(browser: Browser, base: string) {
  const page = await openHarness(browser, base);
  try {
    const playAt = await page.evaluate((cfg) => {
      const t = performance.now();
      window.__ple.send({ type: 'start', runId: 'page', config: cfg });
      return t;
    }, benchConfig('auto'));
    const first = await waitEvent(page, 0, 'snapshot', { minStep: 1 });
    const ready = await waitEvent(page, 0, 'ready');
    const end = await waitEvent(page, 0, 'snapshot', { minAt: first.at + LONG_TASK_RUN_S * 1000, timeoutMs: (LONG_TASK_RUN_S + 60) * 1000 });
    const tasks = await page.evaluate(
      ({ a, b }) => window.__ple.longTasks.filter((t) => t.start >= a && t.start <= b),
      { a: first.at, b: end.at },
    );
    await page.evaluate(() => window.__ple.send({ type: 'stop' }));
    await waitEvent(page, 0, 'stopped');
    return {
      backend: ready.backend ?? 'unknown',
      firstSnapshotMs: first.at, // performance.now() is measured from navigation start
      firstSnapshotAfterPlayMs: first.at - playAt,
      longTasks: tasks.length,
      longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
      runSeconds: (end.at - first.at) / 1000,
      steps: (end.step ?? 0) - (first.step ?? 0),
    };
  } finally {
    await page.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const server = await preview({ preview: { port: 4327, strictPort: false, open: false }, logLevel: 'warn' });
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error('vite preview did not report a URL (is dist/ built? run `npm run bench`, which builds first)');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    log(`bench in ${browser.version()} (${CHROMIUM}), ${os.cpus().length} CPU(s), serving ${base}`);
    const backends: Record<string, BackendFigures> = {};
    for (const b of args.backends) {
      log(`${b}: timing engine and per-expert loop…`);
      backends[b] = await benchBackend(browser, base, b, args.seconds);
      if (backends[b].note.startsWith('unavailable')) log(`  ${backends[b].note}`);
    }
    const sweep: Record<string, Record<string, number | null>> = {};
    for (const b of args.backends) {
      if (backends[b].note.startsWith('unavailable')) continue;
      log(`${b}: batch ${SWEEP_BATCHES.join(' and ')}…`);
      sweep[b] = await benchBatches(browser, base, b, Math.max(2, args.seconds * PLAN[b].timeShare * 0.5));
    }
    log(`page: Play on a fresh page, then ${LONG_TASK_RUN_S} s of training…`);
    const pageFig = await benchPage(browser, base);

    const rows = Object.entries(backends).map(([name, f]) => [
      name,
      f.stepsPerSec === null ? '–' : rate(f.stepsPerSec),
      f.engineDirectStepsPerSec === null ? '–' : rate(f.engineDirectStepsPerSec),
      f.perExpertLoopStepsPerSec === null ? '–' : rate(f.perExpertLoopStepsPerSec),
      f.engineVsLoop === null ? '–' : `${f.engineVsLoop.toFixed(2)}x`,
      f.firstStepMs === null ? '–' : f.firstStepMs.toFixed(0),
      f.note,
    ]);
    const head = ['backend', 'engine steps/s', 'engine direct', 'per-expert loop', 'engine/loop', 'first step ms', 'note'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const fmt = (r: string[]) => r.map((c, i) => (i === 0 || i === head.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
    process.stdout.write(
      [
        `bench config: bench:core's PLE (2 tasks, 2 levels, 2+2 experts [64], towers [32], input 100, batch 256, Adam, no clipping), in a Web Worker`,
        `browser: ${browser.version()}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? 'unknown'})`,
        `engine = the engine in the training worker (chunks, snapshots, gate stats: what the page gets);`,
        `engine direct = its Trainer in a plain loop in a worker; per-expert loop = the baseline, in a worker`,
        '',
        fmt(head),
        fmt(widths.map((w) => '-'.repeat(w))),
        ...rows.map(fmt),
        '',
        `batch sweep (engine called directly, steps/s and samples/s):`,
        ...Object.entries(sweep).map(
          ([b, r]) =>
            `  ${b.padEnd(7)} ${SWEEP_BATCHES.map((n) => `batch ${n}: ${r[n] == null ? '–' : `${rate(r[n]!)} steps/s (${Math.round(r[n]! * n)} samples/s)`}`).join('   ')}`,
        ),
        '',
        `first snapshot: ${pageFig.firstSnapshotMs.toFixed(0)} ms after page load, ${pageFig.firstSnapshotAfterPlayMs.toFixed(0)} ms after Play (backend ${pageFig.backend})`,
        `main-thread long tasks (≥ 50 ms) during ${pageFig.runSeconds.toFixed(0)} s of training: ${pageFig.longTasks}${pageFig.longTasks ? ` (longest ${pageFig.longestTaskMs.toFixed(0)} ms)` : ''}`,
        '',
      ].join('\n'),
    );
    if (args.json) {
      const json = {
        backends: Object.fromEntries(
          Object.entries(backends).map(([name, f]) => [
            name,
            {
              stepsPerSec: roundRate(f.stepsPerSec),
              ...(f.engineDirectStepsPerSec !== null ? { engineDirectStepsPerSec: roundRate(f.engineDirectStepsPerSec) } : {}),
              perExpertLoopStepsPerSec: roundRate(f.perExpertLoopStepsPerSec),
              engineVsLoop: round(f.engineVsLoop, 2),
              firstStepMs: round(f.firstStepMs, 0),
              timedSteps: f.timedSteps,
              timedSeconds: round(f.timedSeconds),
              ...(f.note ? { note: f.note } : {}),
            },
          ]),
        ),
        batchSweep: Object.fromEntries(Object.entries(sweep).map(([b, r]) => [b, Object.fromEntries(Object.entries(r).map(([n, v]) => [n, roundRate(v)]))])),
        mainThreadLongTasks: pageFig.longTasks,
        longTaskRunSeconds: round(pageFig.runSeconds),
        firstSnapshotMs: round(pageFig.firstSnapshotMs, 0),
        firstSnapshotAfterPlayMs: round(pageFig.firstSnapshotAfterPlayMs, 0),
        defaultBackend: pageFig.backend,
        browser: browser.version(),
        cpus: os.cpus().length,
      };
      writeFileSync(args.json, `${JSON.stringify(json, null, 2)}\n`);
      log(`wrote ${args.json}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`error: ${(e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
});
