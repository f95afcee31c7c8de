// The store's run state machine against a fake worker client: commands sent,
// events folded into state, diverged and crashed runs reported.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Command, WorkerEvent } from '../worker/protocol';

const sent: Command[] = [];
const listeners = new Set<(e: WorkerEvent) => void>();
const restarts: string[] = [];
vi.mock('./workerLink', () => ({
  getClient: () => ({
    send: (c: Command) => sent.push(c),
    on: (l: (e: WorkerEvent) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  }),
  restartClient: (b: string) => restarts.push(b),
}));
// No IndexedDB in Node: saving is a no-op here.
vi.mock('./runHistory', () => ({ listRuns: async () => [], saveRun: async () => {}, deleteRun: async () => {} }));

const { usePlayground, startWorker, play, stepOnce, reset, setField, setTaskCount, loadPreset, restartWorker, importConfigText, applyHash, leaveSuite } = await import('./store');
const { liveStore } = await import('./live');
const { writeHash } = await import('./urlHash');
const emit = (e: WorkerEvent) => listeners.forEach((l) => l(e));
const state = () => usePlayground.getState();
const lastStart = () => [...sent].reverse().find((c) => c.type === 'start' || c.type === 'startSuite')!;
const runIdOf = (c: Command) => (c as { runId: string }).runId;

function snapshot(runId: string, step: number, extra: Partial<Extract<WorkerEvent, { type: 'snapshot' }>> = {}): WorkerEvent {
  return {
    type: 'snapshot',
    runId,
    runIndex: 0,
    status: 'running',
    step,
    totalSteps: 100,
    stepsPerSec: 30,
    curveSteps: Int32Array.from([step]),
    curveLoss: Float32Array.from([2, 1, 1]),
    val: null,
    gates: null,
    taskWeights: [1, 1],
    ...extra,
  };
}

beforeEach(() => {
  sent.length = 0;
  reset();
  setField(['backend'], 'wasm');
  setField(['train', 'steps'], 100);
});

describe('store', () => {
  it('boots the worker with the chosen backend and shows what runs', () => {
    startWorker();
    expect(sent.at(-1)).toEqual({ type: 'init', backend: 'wasm' });
    emit({ type: 'ready', backend: 'wasm', attempts: [{ backend: 'webgpu', ok: false, reason: 'no adapter' }, { backend: 'wasm', ok: true, reason: 'SIMD' }] });
    expect(state().worker.status).toBe('ready');
    expect(state().worker.backend).toBe('wasm');
  });

  it('plays, pauses, resumes, and folds snapshots into the live buffers', () => {
    play();
    const start = lastStart();
    expect(start).toMatchObject({ type: 'start', paused: false });
    expect(state().run.phase).toBe('running');
    const id = runIdOf(start);
    emit(snapshot(id, 10));
    emit(snapshot('someone-else', 50)); // a stale run's event is ignored
    const lr = liveStore.getState().runs[0];
    expect(lr.step).toBe(10);
    expect(lr.curveStep.length).toBe(1);
    play(); // = Pause
    expect(sent.at(-1)).toEqual({ type: 'pause' });
    expect(state().run.phase).toBe('paused');
    play(); // = resume
    expect(sent.at(-1)).toEqual({ type: 'resume' });
    expect(state().run.phase).toBe('running');
  });

  it('steps from idle: starts paused, then trains exactly one step (Step ×10: ten)', () => {
    stepOnce();
    expect(lastStart()).toMatchObject({ type: 'start', paused: true });
    expect(sent.at(-1)).toEqual({ type: 'step', n: 1 });
    expect(state().run.phase).toBe('paused');
    stepOnce();
    expect(sent.at(-1)).toEqual({ type: 'step', n: 1 });
    stepOnce(10);
    expect(sent.at(-1)).toEqual({ type: 'step', n: 10 });
  });

  it('reset stops the run, clears the charts, keeps the seeds', () => {
    const seeds = () => {
      const c = state().parsed;
      return c.ok ? [c.config.data.seed, c.config.train.initSeed, c.config.train.batchSeed] : [];
    };
    const before = seeds();
    play();
    emit(snapshot(runIdOf(lastStart()), 20));
    reset();
    expect(sent.at(-1)).toEqual({ type: 'stop' });
    expect(state().run.phase).toBe('idle');
    expect(liveStore.getState().runs).toHaveLength(0);
    expect(seeds()).toEqual(before);
  });

  it('reports a diverged run with its step', () => {
    play();
    const id = runIdOf(lastStart());
    emit(snapshot(id, 30));
    emit({ type: 'diverged', runId: id, runIndex: 0, step: 37, message: 'loss is NaN' });
    expect(state().run.phase).toBe('diverged');
    expect(state().run.diverged).toEqual([{ step: 37, message: 'loss is NaN', name: 'PLE', runIndex: 0 }]);
    expect(liveStore.getState().runs[0].divergedAt).toBe(37);
  });

  it('a crashed worker blocks Play with the reason; restart keeps the config', () => {
    setField(['train', 'learningRate'], 0.02);
    play();
    emit({ type: 'error', message: 'the training worker crashed: out of memory' });
    expect(state().worker.status).toBe('crashed');
    expect(state().run.phase).toBe('error');
    expect(state().blocker).toMatch(/crashed/);
    restartWorker();
    expect(restarts.at(-1)).toBe('wasm');
    emit({ type: 'ready', backend: 'wasm', attempts: [] });
    expect(state().blocker).toBeNull();
    const p = state().parsed;
    expect(p.ok && p.config.train.learningRate).toBe(0.02);
  });

  it('runs a suite preset as one startSuite with every model and seed', () => {
    loadPreset('mmoe-vs-cgc');
    setField(['train', 'steps'], 50);
    expect(state().draft.backend).toBe('wasm'); // the machine's backend survives a preset
    play();
    const start = lastStart();
    expect(start.type).toBe('startSuite');
    if (start.type !== 'startSuite') return;
    expect(start.runs.map((r) => r.name)).toEqual(['mmoe', 'cgc']);
    expect(start.runs.every((r) => r.config.train?.steps === 50 && r.config.backend === 'wasm')).toBe(true);
  });

  it('imports an old results.json without the new fields with their defaults', () => {
    leaveSuite();
    const old = { version: 1, model: 'cgc', config: { data: { correlation: 0.2 }, model: { type: 'cgc', specificExperts: 1, sharedExperts: 1 }, train: { steps: 80 }, backend: 'wasm' } };
    expect(importConfigText(JSON.stringify(old), 'old-results.json')).toBe(true);
    const p = state().parsed;
    if (!p.ok) throw new Error(p.message);
    expect([p.config.model.gateBias, p.config.data.standardizeTargets, p.config.data.taskSeed, p.config.train.selectBest]).toEqual([true, true, null, true]);
    expect(state().draft).toMatchObject({ model: { gateBias: true }, data: { standardizeTargets: true, taskSeed: null }, train: { selectBest: true } });
    // A config that sets them keeps them.
    const set = { model: { type: 'mmoe', gateBias: false }, data: { standardizeTargets: false, taskSeed: 9 }, train: { selectBest: false } };
    expect(importConfigText(JSON.stringify(set), 'new.json')).toBe(true);
    expect(state().draft).toMatchObject(set);
  });

  it('imports a regional config (a matrix region included) and keeps it; the form writes one region without touching the other', () => {
    leaveSuite();
    const m = [
      [1, 0.5, 0.2],
      [0.5, 1, 0.1],
      [0.2, 0.1, 1],
    ];
    const three = [{ type: 'regression' }, { type: 'regression' }, { type: 'binary' }];
    const file = { config: { data: { tasks: three, relationship: 'regional', regionCorrelations: [m, -0.4], sineScale: 0.25 }, backend: 'wasm' } };
    expect(importConfigText(JSON.stringify(file), 'regional-results.json')).toBe(true);
    expect(state().draft).toMatchObject({ data: { relationship: 'regional', regionCorrelations: [m, -0.4], sineScale: 0.25 } });
    expect(state().parsed.ok).toBe(true);
    // Its link (what the store writes to the URL) loads the same config back.
    const p = state().parsed;
    if (!p.ok) throw new Error(p.message);
    const link = writeHash({ presetId: null, seeds: null, config: p.config as unknown as Record<string, unknown> });
    expect(decodeURIComponent(link)).toContain('"regionCorrelations":[[[1,0.5,0.2],[0.5,1,0.1],[0.2,0.1,1]],-0.4]');
    setField(['data', 'relationship'], 'global');
    setField(['data', 'sineScale'], 2);
    applyHash(link);
    expect(state().draft).toMatchObject({ data: { relationship: 'regional', regionCorrelations: [m, -0.4], sineScale: 0.25 } });
    // Adding a task resizes the matrix (the new task uncorrelated); the number stays.
    setTaskCount(4);
    const rc = (state().draft.data as { regionCorrelations: unknown[] }).regionCorrelations;
    expect(rc[1]).toBe(-0.4);
    expect(rc[0]).toEqual([
      [1, 0.5, 0.2, 0],
      [0.5, 1, 0.1, 0],
      [0.2, 0.1, 1, 0],
      [0, 0, 0, 1],
    ]);
    // An impossible region 2 value for 4 tasks: a readable message on that region's field, and Play says why.
    setField(['data', 'regionCorrelations'], [rc[0], -0.5]);
    expect(state().issues['data.regionCorrelations.1']).toBe('Correlation in region 2 (rᵀx > 0): region 2 correlation -0.5 is impossible for 4 tasks (must be ≥ -0.333): the matrix is not positive semi-definite');
    expect(state().blocker).toMatch(/^Fix the invalid field first: Correlation in region 2 \(rᵀx > 0\): region 2 correlation -0\.5 is impossible for 4 tasks/);
    setTaskCount(2);
    setField(['data', 'regionCorrelations'], [0.9, -0.9]);
    expect(state().parsed.ok).toBe(true);
    // Back to one global correlation: the regions are kept but not checked.
    setField(['data', 'relationship'], 'global');
    expect(state().parsed.ok && (state().parsed as { config: { data: { regionCorrelations: unknown } } }).config.data.regionCorrelations).toEqual([0.9, -0.9]);
  });

  it('task seed: empty is null, a wrong value gets a readable message on its field', () => {
    leaveSuite();
    setField(['data', 'taskSeed'], 12);
    expect(state().parsed.ok && (state().parsed as { config: { data: { taskSeed: number } } }).config.data.taskSeed).toBe(12);
    setField(['data', 'taskSeed'], 'abc');
    expect(state().issues['data.taskSeed']).toBe('Task seed: must be a whole number from 1 to 2147483647');
    expect(state().blocker).toMatch(/^Fix the invalid field first: Task seed: must be a whole number/);
    setField(['data', 'taskSeed'], 0);
    expect(state().issues['data.taskSeed']).toMatch(/Task seed: must be a whole number from 1 to 2147483647 \(got 0\)/);
    setField(['data', 'taskSeed'], null);
    expect(state().issues['data.taskSeed']).toBeUndefined();
    expect(state().blocker).toBeNull();
  });

  it('a suite link with the gate bias off applies it to every run', () => {
    applyHash('#preset=mmoe-vs-cgc&config=' + encodeURIComponent(JSON.stringify({ model: { gateBias: false }, train: { selectBest: false } })));
    expect(state().suiteId).toBe('mmoe-vs-cgc');
    expect(state().draft).toMatchObject({ model: { gateBias: false }, train: { selectBest: false } });
    play();
    const start = lastStart();
    if (start.type !== 'startSuite') throw new Error('expected a suite');
    expect(start.runs.map((r) => [r.config.model?.gateBias, r.config.train?.selectBest])).toEqual([
      [false, false],
      [false, false],
    ]);
    leaveSuite();
  });

  it('refuses to start an invalid config', () => {
    setField(['train', 'learningRate'], NaN);
    expect(state().blocker).toBe('Fix the invalid field first: Learning rate: must be a number greater than 0 and at most 1');
    const n = sent.length;
    play();
    expect(sent.length).toBe(n);
  });
});
