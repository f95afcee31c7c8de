// The page's state: the config draft and its validation, the run and worker
// status, finished results and the run list. Per-step data does NOT live here
// (see live.ts): this store changes on user actions and run events only.
import { create } from 'zustand';
import { getPreset, REPRODUCTION_SEEDS } from '../core/config/presets';
import { expandPreset } from '../core/config/suite';
import {
  DEFAULT_CONFIG,
  MODEL_LABELS,
  parseExperiment,
  type BackendChoice,
  type ExperimentConfig,
  type ParseResult,
} from '../core/config/schema';
import type { ExperimentResults } from '../core/types';
import type { BackendAttempt, BackendName, SuiteRunSpec, WorkerEvent } from '../worker/protocol';
import { deepMerge, isPlainObject, setAt, type Path } from './configEdit';
import { applySnapshot, bumpLive, liveStore, newLiveRun, resetLive } from './live';
import { deleteRun, listRuns, saveRun, type StoredRun } from './runHistory';
import { buildSuiteRuns, suiteBase, suiteOverrides, suitePreset } from './suiteSetup';
import { parseSeedList, readHash, writeHash } from './urlHash';
import { resetTradeoffGrid, setTradeoffModelsList, setTradeoffRatiosText, TRADEOFF_ID, tradeoffGridBlocker, tradeoffHashFields } from './tradeoffGrid';
import { getClient, restartClient } from './workerLink';

export type Phase = 'idle' | 'starting' | 'running' | 'paused' | 'done' | 'diverged' | 'stopped' | 'error';

export interface RunInfo {
  runId: string | null;
  kind: 'single' | 'suite';
  title: string;
  presetId: string | null;
  specs: SuiteRunSpec[];
  labels: string[];
  runIndex: number;
  startedAt: number;
  phase: Phase;
  diverged: { step: number; message: string; name: string; runIndex: number }[];
  error: string | null;
}

export interface WorkerInfo {
  status: 'starting' | 'ready' | 'crashed';
  choice: BackendChoice;
  backend: BackendName | null;
  attempts: BackendAttempt[];
  adapterInfo?: string;
  message: string | null;
}

export interface Notice {
  id: number;
  kind: 'info' | 'warn' | 'error';
  text: string;
}

export interface PlaygroundState {
  /** 'single' edits one config; a suite preset id locks what the suite varies. */
  suiteId: string | null;
  /** Preset last loaded (single or suite), for its description. */
  presetId: string | null;
  draft: Record<string, unknown>;
  seedsText: string;
  parsed: ParseResult;
  issues: Record<string, string>;
  /** Why Train is disabled, or null. */
  blocker: string | null;
  locked: Set<string>;
  notices: Notice[];
  worker: WorkerInfo;
  run: RunInfo;
  /** Finished results of the current run/suite, by run index. */
  results: (ExperimentResults | null)[];
  speed: number;
  history: StoredRun[];
  historyError: string | null;
  /** Selected for comparison: `${storedId}#${index}`. */
  compare: string[];
  whisker: 'std' | 'variance';
  logScale: boolean;
  /** Run index the curves/diagram/timeline show; null follows the run in progress. */
  viewRun: number | null;
}

const emptyRun = (): RunInfo => ({
  runId: null,
  kind: 'single',
  title: '',
  presetId: null,
  specs: [],
  labels: [],
  runIndex: 0,
  startedAt: 0,
  phase: 'idle',
  diverged: [],
  error: null,
});

const initialDraft = () => structuredClone(DEFAULT_CONFIG) as unknown as Record<string, unknown>;

export const usePlayground = create<PlaygroundState>(() => ({
  suiteId: null,
  presetId: null,
  draft: initialDraft(),
  seedsText: '1',
  parsed: { ok: true, config: DEFAULT_CONFIG },
  issues: {},
  blocker: null,
  locked: new Set(),
  notices: [],
  worker: { status: 'starting', choice: DEFAULT_CONFIG.backend, backend: null, attempts: [], message: null },
  run: emptyRun(),
  results: [],
  speed: 0,
  history: [],
  historyError: null,
  compare: [],
  whisker: 'std',
  logScale: false,
  viewRun: null,
}));

const get = usePlayground.getState;
const set = usePlayground.setState;

let noticeId = 0;
export function notify(kind: Notice['kind'], text: string) {
  set((s) => ({ notices: [...s.notices.filter((n) => n.text !== text), { id: ++noticeId, kind, text }] }));
}
export function dismissNotice(id: number) {
  set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}

// ---------- config draft and validation ----------

function seedsOf(text: string): number[] | null {
  const r = parseSeedList(text);
  return r.ok ? r.seeds : null;
}

/** Recompute validation, Train's blocker and the URL hash from the draft. */
function revalidate(writeUrl = true) {
  const { draft, suiteId, seedsText, worker, run } = get();
  const parsed = parseExperiment(draft);
  const issues: Record<string, string> = {};
  if (!parsed.ok) for (const i of parsed.issues) if (!(i.path in issues)) issues[i.path] = i.message;
  let blocker: string | null = null;
  let locked = new Set<string>();
  const preset = suitePreset(suiteId);
  if (!parsed.ok) {
    const n = parsed.issues.length;
    blocker = `Fix ${n === 1 ? 'the invalid field' : `${n} invalid fields`} first: ${parsed.issues[0].path ? parsed.issues[0].path + ': ' : ''}${parsed.issues[0].message}`;
  }
  if (preset) {
    const seedList = parseSeedList(seedsText);
    if (!seedList.ok) {
      issues['suite.seeds'] = seedList.message;
      blocker ??= `Fix the seeds first: ${seedList.message}`;
    } else {
      locked = suiteBase(preset, seedList.seeds, parsed.ok ? parsed.config.train.steps : preset.steps).locked;
      if (parsed.ok) {
        const built = buildSuiteRuns(preset, seedList.seeds, parsed.config);
        if (!built.ok) blocker ??= built.message;
      }
    }
  }
  if (preset?.tradeoff) blocker ??= tradeoffGridBlocker();
  if (worker.status === 'crashed') blocker ??= 'The training worker crashed: restart it first.';
  if (run.phase === 'starting') blocker ??= 'Starting…';
  set({ parsed, issues, blocker, locked });
  if (writeUrl && parsed.ok && !blocker?.startsWith('Fix the seeds')) writeUrlHash();
}

let lastHash = '';
function writeUrlHash() {
  const { suiteId, parsed, draft, seedsText } = get();
  if (!parsed.ok) return;
  let hash: string;
  const preset = suitePreset(suiteId);
  const seeds = seedsOf(seedsText);
  if (preset && seeds) {
    const sb = suiteBase(preset, seeds, parsed.config.train.steps);
    const overrides = suiteOverrides(draft, sb);
    const cfg = parsed.config.train.steps !== preset.steps ? deepMerge(overrides, { train: { steps: parsed.config.train.steps } }) : overrides;
    const sameSeeds = seeds.length === preset.seeds.length && seeds.every((s, i) => s === preset.seeds[i]);
    const grid = preset.tradeoff ? tradeoffHashFields() : {};
    hash = writeHash({ presetId: preset.id, seeds: sameSeeds ? null : seeds, config: cfg, ...(Object.keys(grid).length ? { tradeoff: grid } : {}) });
  } else hash = writeHash({ presetId: null, seeds: null, config: parsed.config as unknown as Record<string, unknown> });
  lastHash = hash;
  if (typeof location !== 'undefined' && location.hash !== hash) history.replaceState(null, '', hash);
}

export function setField(path: Path, value: unknown) {
  set((s) => ({ draft: setAt(s.draft, path, value) }));
  revalidate();
  if (path[0] === 'backend' && get().run.phase === 'idle') initBackend();
}

/** Change the task count, resizing every per-task list so the draft stays consistent. */
export function setTaskCount(n: number) {
  const { draft } = get();
  const data = (draft.data ?? {}) as Record<string, unknown>;
  const tasks = [...((data.tasks as unknown[]) ?? [])];
  if (!Number.isInteger(n) || n < 2 || n > 6) return;
  while (tasks.length < n) tasks.push({ type: 'regression' });
  tasks.length = n;
  let next = setAt(draft, ['data', 'tasks'], tasks);
  const resize = (path: Path, fill: number) => {
    const cur = path.reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k as string], next);
    if (Array.isArray(cur)) {
      const arr = [...cur];
      while (arr.length < n) arr.push(fill);
      arr.length = n;
      next = setAt(next, path, arr);
    }
  };
  resize(['model', 'specificExperts'], 1);
  resize(['train', 'weighting', 'weights'], 1);
  resize(['train', 'weighting', 'gammas'], 1);
  const m = (data.correlationMatrix as number[][] | null) ?? null;
  if (m) {
    const p = typeof data.correlation === 'number' ? data.correlation : 0.5;
    const R = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : (m[i]?.[j] ?? p))));
    next = setAt(next, ['data', 'correlationMatrix'], R);
  }
  // A region given as a matrix (from a file or link) follows the task count: new tasks start uncorrelated.
  const rc = data.regionCorrelations;
  if (Array.isArray(rc) && rc.some(Array.isArray)) {
    const resized = rc.map((e) =>
      Array.isArray(e) ? Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : ((e as number[][])[i]?.[j] ?? 0)))) : e,
    );
    next = setAt(next, ['data', 'regionCorrelations'], resized);
  }
  set({ draft: next });
  revalidate();
}

export function setSeedsText(text: string) {
  set({ seedsText: text });
  revalidate();
}

/** The trade-off sweep's ratios field (tradeoffGrid.ts): the suite is rebuilt from it on the next Play. */
export function setTradeoffRatios(text: string) {
  setTradeoffRatiosText(text);
  revalidate();
}

/** The trade-off sweep's model picker. */
export function setTradeoffModels(models: string[]) {
  setTradeoffModelsList(models);
  revalidate();
}

export function loadPreset(id: string) {
  const preset = getPreset(id);
  if (!preset) return notify('error', `Unknown preset "${id}".`);
  if (isBusy()) stopRun();
  // The backend is a property of this machine, not of the experiment: keep it.
  const backend = (get().draft.backend as BackendChoice) ?? 'auto';
  if (id === TRADEOFF_ID) resetTradeoffGrid();
  if (preset.kind === 'suite') {
    const seeds = preset.seeds;
    const { base } = suiteBase(preset, seeds, preset.steps);
    set({ suiteId: id, presetId: id, seedsText: seeds.join(', '), draft: { ...(structuredClone(base) as unknown as Record<string, unknown>), backend } });
  } else {
    const run = expandPreset(preset)[0];
    set({ suiteId: null, presetId: id, draft: { ...(structuredClone(run.config) as unknown as Record<string, unknown>), backend } });
  }
  clearRun();
  revalidate();
}

/** Leave a suite: keep the form's config as a single run. */
export function leaveSuite() {
  if (isBusy()) stopRun();
  set({ suiteId: null, presetId: null });
  clearRun();
  revalidate();
}

export function loadConfigObject(input: unknown, source: string): boolean {
  const r = parseExperiment(input);
  if (!r.ok) {
    notify('error', `${source} is not a valid config: ${r.message}`);
    return false;
  }
  if (isBusy()) stopRun();
  set({ suiteId: null, presetId: null, draft: structuredClone(r.config) as unknown as Record<string, unknown> });
  clearRun();
  revalidate();
  notify('info', `Loaded the config from ${source}.`);
  return true;
}

/** Import a config JSON file's text (a bare config, or results/model JSON that carries one under "config"). */
export function importConfigText(text: string, fileName: string): boolean {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    notify('error', `${fileName} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
  // results.json and model.json carry the config under "config"; a bare config has no such key.
  const cfg = isPlainObject(json) && isPlainObject(json.config) ? json.config : json;
  return loadConfigObject(cfg, fileName);
}

/** Apply the URL hash (on load and when the user edits it). */
export function applyHash(hash: string) {
  if (hash === lastHash && hash !== '') return;
  const r = readHash(hash);
  if (!r.ok) {
    notify('warn', r.notice);
    set({ suiteId: null, presetId: null, draft: initialDraft(), seedsText: '1' });
    revalidate(false);
    return;
  }
  if (!r.state) return revalidate(false);
  for (const n of r.notices ?? []) notify('warn', n);
  const { presetId, seeds, config } = r.state;
  if (presetId === TRADEOFF_ID) {
    resetTradeoffGrid();
    if (r.state.tradeoff?.ratios) setTradeoffRatiosText(r.state.tradeoff.ratios.join(', '));
    if (r.state.tradeoff?.models) setTradeoffModelsList(r.state.tradeoff.models);
  }
  const preset = presetId ? getPreset(presetId) : null;
  if (preset && preset.kind === 'suite') {
    const s = seeds ?? preset.seeds;
    const steps = ((config.train as Record<string, unknown> | undefined)?.steps as number | undefined) ?? preset.steps;
    let base: ExperimentConfig;
    try {
      base = suiteBase(preset, s, steps).base;
    } catch (e) {
      notify('warn', `The link's suite settings are invalid (${e instanceof Error ? e.message : String(e)}); loaded the defaults instead.`);
      set({ suiteId: null, presetId: null, draft: initialDraft() });
      return revalidate(false);
    }
    // A preset link that names no backend keeps this machine's choice (as the preset buttons do).
    const backend = config.backend ?? get().draft.backend;
    const draft = deepMerge(structuredClone(base) as unknown as Record<string, unknown>, { ...config, backend });
    const check = parseExperiment(draft);
    if (!check.ok) {
      notify('warn', `The config in the link is invalid (${check.message}); loaded the defaults instead.`);
      set({ suiteId: null, presetId: null, draft: initialDraft() });
      return revalidate(false);
    }
    set({ suiteId: preset.id, presetId: preset.id, seedsText: s.join(', '), draft: structuredClone(check.config) as unknown as Record<string, unknown> });
  } else {
    const check = parseExperiment(config);
    if (!check.ok) return;
    set({ suiteId: null, presetId: preset?.id ?? null, draft: structuredClone(check.config) as unknown as Record<string, unknown> });
  }
  lastHash = hash;
  revalidate(false);
}

// ---------- worker ----------

let listening = false;
function listen() {
  if (listening) return;
  listening = true;
  getClient().on(onEvent);
}

function initBackend() {
  const choice = (get().draft.backend as BackendChoice) ?? 'auto';
  if (!['auto', 'webgpu', 'wasm', 'webgl', 'cpu'].includes(choice)) return;
  set((s) => ({ worker: { ...s.worker, status: s.worker.status === 'crashed' ? 'crashed' : 'starting', choice } }));
  getClient().send({ type: 'init', backend: choice });
}

export function startWorker() {
  listen();
  initBackend();
}

export function restartWorker() {
  const choice = (get().draft.backend as BackendChoice) ?? 'auto';
  listen();
  set((s) => ({
    worker: { ...s.worker, status: 'starting', choice, message: null },
    run: { ...s.run, phase: s.run.phase === 'running' || s.run.phase === 'paused' || s.run.phase === 'error' ? 'stopped' : s.run.phase, runId: null, error: null },
  }));
  // The client's restart sends 'init' for the backend itself.
  restartClient(choice);
  revalidate(false);
}

function onEvent(e: WorkerEvent) {
  const { run } = get();
  switch (e.type) {
    case 'ready':
      set((s) => ({ worker: { ...s.worker, status: 'ready', backend: e.backend, attempts: e.attempts, adapterInfo: e.adapterInfo, message: null } }));
      revalidate(false);
      return;
    case 'runStarted': {
      if (e.runId !== run.runId) return;
      ensureLiveRun(e.runIndex, e.totalSteps);
      set((s) => ({ run: { ...s.run, runIndex: e.runIndex, phase: s.run.phase === 'starting' ? 'running' : s.run.phase } }));
      return;
    }
    case 'snapshot': {
      if (e.runId !== run.runId) return;
      const lr = ensureLiveRun(e.runIndex, e.totalSteps);
      applySnapshot(lr, e);
      liveStore.setState((s) => ({ version: s.version + 1, current: e.runIndex }));
      const phase: Phase | null = e.status === 'paused' ? 'paused' : e.status === 'running' ? 'running' : null;
      if (e.runIndex !== run.runIndex || (phase && phase !== run.phase && (run.phase === 'starting' || run.phase === 'running' || run.phase === 'paused')))
        set((s) => ({ run: { ...s.run, runIndex: e.runIndex, phase: phase ?? s.run.phase } }));
      return;
    }
    case 'diverged': {
      if (e.runId !== run.runId) return;
      const lr = liveStore.getState().runs[e.runIndex];
      if (lr) {
        lr.divergedAt = e.step;
        lr.status = 'diverged';
        bumpLive();
      }
      const name = run.labels[e.runIndex] ?? run.specs[e.runIndex]?.name ?? 'run';
      set((s) => ({
        run: {
          ...s.run,
          diverged: [...s.run.diverged, { step: e.step, message: e.message, name, runIndex: e.runIndex }],
          phase: s.run.kind === 'single' ? 'diverged' : s.run.phase,
        },
      }));
      return;
    }
    case 'runDone': {
      if (e.runId !== run.runId) return;
      set((s) => {
        const results = [...s.results];
        results[e.runIndex] = e.results;
        return { results };
      });
      const lr = liveStore.getState().runs[e.runIndex];
      if (lr) {
        lr.status = e.results.status;
        lr.step = e.results.steps;
        if (e.results.gateStats.length) lr.gates = e.results.gateStats;
        bumpLive();
      }
      return;
    }
    case 'done': {
      if (e.runId !== run.runId) return;
      const results = e.results.length ? e.results : (get().results.filter(Boolean) as ExperimentResults[]);
      const anyDiverged = results.some((r) => r.status === 'diverged');
      set((s) => ({
        results: results.length >= s.results.length ? results : s.results,
        run: { ...s.run, phase: s.run.kind === 'single' && anyDiverged ? 'diverged' : 'done' },
      }));
      revalidate(false);
      void persistRun();
      return;
    }
    case 'stopped':
      if (e.runId !== run.runId) return;
      set((s) => ({ run: { ...s.run, phase: s.run.phase === 'idle' ? 'idle' : 'stopped' } }));
      revalidate(false);
      return;
    case 'exported':
      pendingExports.get(e.requestId)?.resolve(e);
      pendingExports.delete(e.requestId);
      return;
    case 'deviceLost':
      notify(
        'warn',
        `The GPU device was lost (${e.message}). Training continues on ${e.nextBackend.toUpperCase()}` +
          (e.restartFromStep > 0 ? ` from step ${e.restartFromStep}.` : ', restarted from step 0.'),
      );
      return;
    case 'error': {
      if (e.requestId) {
        // A failed export: the run goes on.
        pendingExports.get(e.requestId)?.reject(new Error(e.message));
        pendingExports.delete(e.requestId);
        return;
      }
      const crashed = !e.runId;
      set((s) => ({
        worker: crashed ? { ...s.worker, status: 'crashed', message: e.message } : s.worker,
        run:
          e.runId && e.runId !== s.run.runId
            ? s.run
            : { ...s.run, phase: s.run.phase === 'idle' ? 'idle' : 'error', error: e.message },
      }));
      revalidate(false);
      return;
    }
  }
}

function ensureLiveRun(runIndex: number, totalSteps: number) {
  const live = liveStore.getState();
  let lr = live.runs[runIndex];
  if (!lr) {
    const { run } = get();
    const spec = run.specs[runIndex];
    const cfg = parseExperiment(spec?.config ?? {});
    const config = cfg.ok ? cfg.config : DEFAULT_CONFIG;
    lr = newLiveRun({
      runId: run.runId ?? '',
      runIndex,
      name: run.labels[runIndex] ?? spec?.name ?? `run ${runIndex + 1}`,
      model: config.model.type,
      taskTypes: config.data.tasks.map((t) => t.type),
      totalSteps,
    });
    const runs = [...live.runs];
    runs[runIndex] = lr;
    liveStore.setState((s) => ({ runs, version: s.version + 1, current: runIndex }));
  }
  return lr;
}

// ---------- run control ----------

const isBusy = () => ['starting', 'running', 'paused'].includes(get().run.phase);

function clearRun() {
  resetLive();
  set({ run: emptyRun(), results: [], viewRun: null });
}

interface Plan {
  kind: 'single' | 'suite';
  specs: SuiteRunSpec[];
  labels: string[];
  title: string;
  presetId: string | null;
}

function plan(): Plan | null {
  revalidate(false);
  const { parsed, blocker, suiteId, seedsText, presetId } = get();
  if (blocker || !parsed.ok) return null;
  const preset = suitePreset(suiteId);
  if (preset) {
    const seeds = seedsOf(seedsText);
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

function newRunId() {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `run-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

function startNew(paused: boolean, stepN = 0): boolean {
  const p = plan();
  if (!p) return false;
  const client = getClient();
  const choice = (get().parsed.ok ? (get().parsed as { config: ExperimentConfig }).config.backend : 'auto') as BackendChoice;
  if (choice !== get().worker.choice) initBackend();
  resetLive();
  const runId = newRunId();
  set({
    results: [],
    viewRun: null,
    run: { ...emptyRun(), runId, kind: p.kind, title: p.title, presetId: p.presetId, specs: p.specs, labels: p.labels, startedAt: performance.now(), phase: paused ? 'paused' : 'running' },
  });
  ensureLiveRun(0, (p.specs[0].config.train?.steps as number) ?? 0);
  client.send({ type: 'setSpeed', stepsPerSec: get().speed });
  if (p.kind === 'single') client.send({ type: 'start', runId, config: p.specs[0].config, paused });
  else {
    client.send({ type: 'startSuite', runId, runs: p.specs });
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
  setSeedsText(REPRODUCTION_SEEDS.join(', '));
  startNew(false);
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

/** Train a few steps (one loss readback's worth), then pause. */
export function stepOnce() {
  const { run } = get();
  const n = stepSize();
  if (run.phase === 'paused' && run.runId) {
    getClient().send({ type: 'step', n });
    return;
  }
  if (run.phase === 'running') return;
  startNew(true, n);
}

function stopRun() {
  if (get().run.runId) getClient().send({ type: 'stop' });
}

/** Stop and clear the charts; the seeds stay, so the next Play sees the same data and initial weights. */
export function reset() {
  stopRun();
  clearRun();
  revalidate(false);
}

export function setSpeed(stepsPerSec: number) {
  set({ speed: stepsPerSec });
  getClient().send({ type: 'setSpeed', stepsPerSec });
}

// ---------- export ----------

type Exported = Extract<WorkerEvent, { type: 'exported' }>;
const pendingExports = new Map<string, { resolve: (e: Exported) => void; reject: (e: Error) => void }>();

export function requestExport(timeoutMs = 30_000): Promise<Exported> {
  const requestId = newRunId();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pendingExports.delete(requestId);
      reject(new Error('the worker did not answer the export request'));
    }, timeoutMs);
    pendingExports.set(requestId, {
      resolve: (e) => {
        clearTimeout(timer);
        resolve(e);
      },
      reject: (e) => {
        clearTimeout(timer);
        reject(e);
      },
    });
    getClient().send({ type: 'export', requestId });
  });
}

// ---------- run list ----------

export async function loadHistory() {
  try {
    set({ history: await listRuns(), historyError: null });
  } catch (e) {
    set({ historyError: `The run list could not be read (${e instanceof Error ? e.message : String(e)}).` });
  }
}

async function persistRun() {
  const { run, results } = get();
  const done = results.filter((r): r is ExperimentResults => !!r);
  if (!run.runId || done.length === 0) return;
  const labels = results.map((r, i) => (r ? (run.labels[i] ?? r.model) : null)).filter((l): l is string => l !== null);
  const stored: StoredRun = { id: run.runId, savedAt: Date.now(), title: run.title, kind: run.kind, presetId: run.presetId, labels, results: done };
  try {
    await saveRun(stored);
    await loadHistory();
  } catch (e) {
    set({ historyError: `The run could not be saved (${e instanceof Error ? e.message : String(e)}).` });
  }
}

export async function removeHistory(id: string) {
  try {
    await deleteRun(id);
    set((s) => ({ compare: s.compare.filter((k) => !k.startsWith(id + '#')) }));
    await loadHistory();
  } catch (e) {
    set({ historyError: `The run could not be deleted (${e instanceof Error ? e.message : String(e)}).` });
  }
}

export function toggleCompare(key: string) {
  set((s) => {
    if (s.compare.includes(key)) return { compare: s.compare.filter((k) => k !== key) };
    return { compare: [...s.compare, key].slice(-2) };
  });
}

export function clearCompare() {
  set({ compare: [] });
}

export function lookupStored(key: string): { stored: StoredRun; result: ExperimentResults; label: string } | null {
  const [id, idx] = key.split('#');
  const stored = get().history.find((h) => h.id === id);
  const result = stored?.results[Number(idx)];
  if (!stored || !result) return null;
  return { stored, result, label: stored.labels[Number(idx)] ?? result.model };
}

// ---------- misc ----------

export function setWhisker(w: 'std' | 'variance') {
  set({ whisker: w });
}
export function setLogScale(v: boolean) {
  set({ logScale: v });
}
export function setViewRun(i: number | null) {
  set({ viewRun: i });
}

/** Boot, before the first render: URL hash and the saved-run list. */
export function boot() {
  applyHash(location.hash);
  window.addEventListener('hashchange', () => applyHash(location.hash));
  void loadHistory();
}

/** After the first paint: the training worker. */
export function startWorkers() {
  startWorker();
}
