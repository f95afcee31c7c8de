// Run control: the plan (one config or a suite's runs) sent to the worker, and
// Play/Pause/Step/Stop/speed. The worker's answers are folded in by worker.ts.
import { getPreset, REPRODUCTION_SEEDS } from '../../core/config/presets';
import { expandPreset } from '../../core/config/suite';
import { MODEL_LABELS, type BackendChoice, type ExperimentConfig } from '../../core/config/schema';
import type { SuiteRunSpec } from '../../worker/protocol';
import { resetLive } from '../live';
import { buildSuiteRuns, suitePreset } from '../suiteSetup';
import { confirmDiscard } from '../runGuard';
import { getClient } from '../workerLink';
import { emptyRun, get, MAX_POOL_SIZE, newId, poolSizeFor, set } from './base';
import { revalidate, seedsOf } from './draft';
import { clearStale } from './liveSettings';
import { ensureLiveRun, initBackend } from './worker';

export function clearRun() {
  resetLive();
  clearStale();
  set({ run: emptyRun(), results: [], viewRun: null });
}

interface Plan {
  kind: 'single' | 'suite';
  specs: SuiteRunSpec[];
  labels: string[];
  title: string;
  presetId: string | null;
}

function plan(seedsOverride?: number[]): Plan | null {
  revalidate(false);
  const { parsed, blocker, suiteId, seedsText, presetId } = get();
  if (blocker || !parsed.ok) return null;
  const preset = suitePreset(suiteId);
  if (preset) {
    const seeds = seedsOverride ?? seedsOf(seedsText);
    if (!seeds) return null;
    const built = buildSuiteRuns(preset, seeds, parsed.config);
    if (!built.ok) return null;
    const expanded = expandPreset(preset, { seeds, steps: parsed.config.train.steps });
    const labels = expanded.map((r) => (seeds.length > 1 ? `${r.label} · seed ${r.seed}` : r.label));
    return { kind: 'suite', specs: built.runs, labels, title: preset.title, presetId: preset.id };
  }
  const cfg = parsed.config;
  const label = MODEL_LABELS[cfg.model.type];
  const title = presetId ? (getPreset(presetId)?.title ?? label) : label;
  return { kind: 'single', specs: [{ name: cfg.model.type, seed: cfg.data.seed, config: cfg }], labels: [label], title, presetId };
}

function startNew(paused: boolean, stepN = 0, seeds?: number[]): boolean {
  const p = plan(seeds);
  if (!p) return false;
  clearStale();
  const client = getClient();
  const choice = (get().parsed.ok ? (get().parsed as { config: ExperimentConfig }).config.backend : 'auto') as BackendChoice;
  if (choice !== get().worker.choice) initBackend();
  resetLive();
  const runId = newId();
  set({
    results: [],
    viewRun: null,
    run: { ...emptyRun(), runId, kind: p.kind, title: p.title, presetId: p.presetId, specs: p.specs, labels: p.labels, startedAt: performance.now(), phase: paused ? 'paused' : 'running' },
  });
  ensureLiveRun(0, (p.specs[0].config.train?.steps as number) ?? 0);
  client.send({ type: 'setSpeed', stepsPerSec: get().speed });
  if (p.kind === 'single') client.send({ type: 'start', runId, config: p.specs[0].config, paused });
  else {
    const workers = poolSizeFor(get());
    set((s) => ({ run: { ...s.run, workers } }));
    client.send({ type: 'startSuite', runId, runs: p.specs, workers });
    if (paused) client.send({ type: 'pause' });
  }
  if (stepN > 0) client.send({ type: 'step', n: stepN });
  return true;
}

export function play() {
  const { run } = get();
  if (run.phase === 'running') return pause();
  if (run.phase === 'paused' && run.runId) {
    getClient().send({ type: 'resume' });
    set((s) => ({ run: { ...s.run, phase: 'running' } }));
    return;
  }
  startNew(false);
}

/**
 * "Run all seeds": the loaded suite preset over the reproduction's seeds
 * (REPRODUCTION_SEEDS, as `npm run reproduce` and the CLI's --seeds use them)
 * at the current step budget, so the page gives the CLI's numbers.
 */
export function runAllSeeds() {
  if (!get().suiteId || get().run.phase === 'running') return;
  // The Seeds field keeps what the person typed: this run's seeds are its own.
  startNew(false, 0, [...REPRODUCTION_SEEDS]);
}

export function pause() {
  if (get().run.phase !== 'running') return;
  getClient().send({ type: 'pause' });
  set((s) => ({ run: { ...s.run, phase: 'paused' } }));
}

export function stepSize(): number {
  const p = get().parsed;
  return p.ok ? Math.max(1, p.config.train.readbackEvery) : 10;
}

/** Train exactly n steps (1: true slow motion; the Step ×10 button sends 10), then pause. */
export function stepOnce(n = 1) {
  const { run } = get();
  if (run.phase === 'paused' && run.runId) {
    getClient().send({ type: 'step', n });
    return;
  }
  if (run.phase === 'running') return;
  startNew(true, n);
}

export function stopRun() {
  if (get().run.runId) getClient().send({ type: 'stop' });
}

/** Stop and clear the charts; the seeds stay, so the next Play sees the same data and initial weights. */
export function reset() {
  if (!confirmDiscard('Reset')) return;
  stopRun();
  clearRun();
  revalidate(false);
}

export function setSpeed(stepsPerSec: number) {
  set({ speed: stepsPerSec });
  getClient().send({ type: 'setSpeed', stepsPerSec });
}

/**
 * Workers a suite runs on (from the next suite on); null: the default. Returns
 * the reason when the value is not a whole number from 1 to MAX_POOL_SIZE (nothing changes then).
 */
export function setPoolSize(n: number | null): string | null {
  if (n !== null && !(Number.isInteger(n) && n >= 1 && n <= MAX_POOL_SIZE)) return `Workers must be a whole number from 1 to ${MAX_POOL_SIZE}.`;
  set({ poolSize: n });
  return null;
}
