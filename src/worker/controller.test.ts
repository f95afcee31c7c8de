// The worker's controller driven in Node with the real Trainer on TF.js WASM:
// command semantics (exact step counts, pause/stop), suites, divergence,
// device-loss recovery, export, and that a stop frees every tensor.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentInput } from '../core/config/schema';
import { Trainer } from '../core/train/trainer';
import { TrainingController, type ControllerDeps } from './controller';
import type { BackendName, Command, Snapshot, WorkerEvent } from './protocol';
import { MAX_SNAPSHOTS_PER_SEC } from './protocol';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

const small = (train: object = {}, data: object = {}): ExperimentInput => ({
  data: { nTrain: 512, nVal: 64, nTest: 128, inputDim: 16, ...data },
  model: { type: 'ple', levels: 2, expertHidden: [8], towerHidden: [4] },
  train: { steps: 200, batchSize: 64, evalEvery: 50, readbackEvery: 5, learningRate: 0.01, ...train },
  backend: 'wasm',
});

interface Harness {
  ctl: TrainingController;
  events: (WorkerEvent & { at: number })[];
  send(cmd: Command): Promise<void>;
  waitFor<T extends WorkerEvent>(pred: (e: WorkerEvent) => e is T, from?: number, timeoutMs?: number): Promise<T>;
  waitFor(pred: (e: WorkerEvent) => boolean, from?: number, timeoutMs?: number): Promise<WorkerEvent>;
  snapshots(): Snapshot[];
  stats(): Promise<Extract<WorkerEvent, { type: 'stats' }>>;
}

function harness(over: Partial<ControllerDeps> = {}): Harness {
  const events: (WorkerEvent & { at: number })[] = [];
  const usable: BackendName[] = ['wasm', 'cpu'];
  const ctl = new TrainingController({
    post: (e) => events.push({ ...e, at: performance.now() }),
    createTrainer: (config, opts) => Trainer.create(config, opts),
    // Node has one real backend here; the order and exclusions are what is tested.
    selectBackend: async (_choice, exclude) => {
      const attempts = usable.filter((b) => exclude.has(b)).map((b) => ({ backend: b, ok: false, reason: exclude.get(b)! }));
      const backend = usable.find((b) => !exclude.has(b))!;
      await tf.setBackend(backend);
      attempts.push({ backend, ok: true, reason: 'node' });
      return { backend, attempts };
    },
    currentDevice: () => null,
    memory: () => tf.memory(),
    ...over,
  });
  let req = 0;
  const waitFor = async (pred: (e: WorkerEvent) => boolean, from = 0, timeoutMs = 20_000) => {
    const t0 = performance.now();
    for (;;) {
      const hit = events.slice(from).find(pred);
      if (hit) return hit;
      const err = events.slice(from).find((e) => e.type === 'error');
      if (err) throw new Error(`worker error: ${(err as { message: string }).message}`);
      if (performance.now() - t0 > timeoutMs) throw new Error(`timed out; last events: ${events.slice(-5).map((e) => e.type)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return {
    ctl,
    events,
    send: (cmd) => ctl.handle(cmd),
    waitFor: waitFor as Harness['waitFor'],
    snapshots: () => events.filter((e): e is Snapshot & { at: number } => e.type === 'snapshot'),
    stats: async () => {
      const requestId = `s${++req}`;
      const from = events.length;
      await ctl.handle({ type: 'stats', requestId });
      return (await waitFor((e) => e.type === 'stats' && e.requestId === requestId, from)) as Extract<WorkerEvent, { type: 'stats' }>;
    },
  };
}

const isSnap = (e: WorkerEvent): e is Snapshot => e.type === 'snapshot';

describe('TrainingController', () => {
  it('trains to done: falling loss, gates that sum to 1, rate-capped snapshots, no tensor left after stop', async () => {
    const h = harness();
    await h.send({ type: 'init', backend: 'wasm' });
    const before = (await h.stats()).numTensors;
    await h.send({ type: 'start', runId: 'r1', config: small({ steps: 300 }) });
    const done = await h.waitFor((e) => e.type === 'done');
    expect(done.type === 'done' && done.results[0].status).toBe('done');
    const types = h.events.map((e) => e.type);
    expect(types.indexOf('ready')).toBeLessThan(types.indexOf('runStarted'));
    expect(types.indexOf('runDone')).toBeLessThan(types.indexOf('done'));

    const snaps = h.snapshots();
    const steps = snaps.flatMap((s) => Array.from(s.curveSteps));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(new Set(steps).size).toBe(steps.length); // every point sent once
    const cols = 3; // joint + 2 tasks
    const losses = snaps.flatMap((s) => Array.from({ length: s.curveSteps.length }, (_, i) => s.curveLoss[i * cols]));
    expect(losses.slice(-3).reduce((a, b) => a + b) / 3).toBeLessThan(losses.slice(0, 3).reduce((a, b) => a + b) / 3);
    const last = snaps[snaps.length - 1];
    expect(last.status).toBe('done');
    expect(last.step).toBe(300);
    for (const level of last.gates!.levels)
      for (const g of level.gates) expect(g.mean.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    for (let i = 1; i < snaps.length; i++)
      expect((snaps[i] as Snapshot & { at: number }).at - (snaps[i - 1] as Snapshot & { at: number }).at).toBeGreaterThanOrEqual(1000 / MAX_SNAPSHOTS_PER_SEC - 1);

    const from = h.events.length;
    await h.send({ type: 'stop' });
    const stopped = await h.waitFor((e) => e.type === 'stopped', from);
    expect(stopped.type === 'stopped' && stopped.numTensors).toBe(before);
    expect((await h.stats()).numTensors).toBe(before);
  });

  it('pause, step(n), resume and stop do exactly that', async () => {
    const h = harness();
    const before = (await h.stats()).numTensors;
    await h.send({ type: 'start', runId: 'p', config: small({ steps: 100_000 }) });
    await h.waitFor((e) => isSnap(e) && e.step > 10);
    let from = h.events.length;
    await h.send({ type: 'pause' });
    const paused = await h.waitFor((e): e is Snapshot => isSnap(e) && e.status === 'paused', from);
    const s = paused.step;
    expect((await h.stats()).step).toBe(s);

    from = h.events.length;
    await h.send({ type: 'step', n: 7 });
    const after7 = await h.waitFor((e): e is Snapshot => isSnap(e) && e.status === 'paused', from);
    expect(after7.step).toBe(s + 7);
    from = h.events.length;
    await h.send({ type: 'step', n: 1 });
    await h.send({ type: 'step', n: 2 });
    await h.waitFor((e) => isSnap(e) && e.status === 'paused' && e.step === s + 10, from);
    const st = await h.stats();
    expect(st.step).toBe(s + 10);
    expect(st.status).toBe('paused');

    from = h.events.length;
    await h.send({ type: 'resume' });
    await h.waitFor((e) => isSnap(e) && e.status === 'running' && e.step > s + 20, from);
    // step(n) while running: stop at a step boundary, then exactly n more.
    from = h.events.length;
    await h.send({ type: 'step', n: 3 });
    const stepped = await h.waitFor((e): e is Snapshot => isSnap(e) && e.status === 'paused', from);
    expect((await h.stats()).step).toBe(stepped.step);

    from = h.events.length;
    await h.send({ type: 'resume' });
    await h.waitFor((e) => isSnap(e) && e.step > stepped.step + 5, from);
    await h.send({ type: 'stop' });
    const stopped = await h.waitFor((e) => e.type === 'stopped');
    const at = h.events.length;
    const st2 = await h.stats();
    expect(st2.status).toBe('idle');
    expect(h.events.slice(at).some(isSnap)).toBe(false);
    expect(stopped.type === 'stopped' && stopped.numTensors).toBe(before);
  });

  it('start paused sits at step 0 until stepped; slow motion caps the rate', async () => {
    const h = harness();
    await h.send({ type: 'start', runId: 'sp', config: small({ steps: 1000 }), paused: true });
    const first = await h.waitFor((e): e is Snapshot => isSnap(e) && e.status === 'paused');
    expect(first.step).toBe(0);
    expect(first.gates?.levels.length).toBe(2);
    let from = h.events.length;
    await h.send({ type: 'step', n: 4 });
    await h.waitFor((e) => isSnap(e) && e.status === 'paused' && e.step === 4, from);

    await h.send({ type: 'setSpeed', stepsPerSec: 20 });
    from = h.events.length;
    const t0 = performance.now();
    await h.send({ type: 'resume' });
    await h.waitFor((e) => isSnap(e) && e.step >= 14, from);
    // 10 steps at ≤ 20 steps/s cannot take less than ~0.5 s.
    expect(performance.now() - t0).toBeGreaterThan(400);
    await h.send({ type: 'stop' });
  });

  it('a pause sent right behind start lands before the first step (suites too)', async () => {
    const h = harness();
    void h.send({ type: 'startSuite', runId: 'sp2', runs: [{ name: 'a', seed: 1, config: small() }] });
    await h.send({ type: 'pause' });
    const first = await h.waitFor((e): e is Snapshot => isSnap(e) && e.status === 'paused');
    expect(first.step).toBe(0);
    const from = h.events.length;
    await h.send({ type: 'stop' });
    await h.waitFor((e) => e.type === 'stopped', from);
    void h.send({ type: 'startSuite', runId: 'sp3', runs: [{ name: 'a', seed: 1, config: small() }], paused: true });
    const second = await h.waitFor((e): e is Snapshot => isSnap(e) && e.runId === 'sp3');
    expect(second).toMatchObject({ status: 'paused', step: 0 });
    await h.send({ type: 'stop' });
  });

  it('runs a suite model after model, reusing the data', async () => {
    const created: Trainer[] = [];
    const h = harness({
      createTrainer: async (config, opts) => {
        const t = await Trainer.create(config, opts);
        created.push(t);
        return t;
      },
    });
    const runs = ['mmoe', 'cgc', 'ple'].map((type, i) => ({
      name: type,
      seed: 1,
      config: { ...small({ steps: 20 }), model: { type: type as 'mmoe', expertHidden: [8], towerHidden: [4], sharedExperts: 2, specificExperts: 1 } },
    }));
    await h.send({ type: 'startSuite', runId: 'suite', runs });
    const done = await h.waitFor((e) => e.type === 'done');
    expect(done.type === 'done' && done.results.map((r) => r.model)).toEqual(['mmoe', 'cgc', 'ple']);
    expect(h.events.filter((e) => e.type === 'runStarted').map((e) => e.type === 'runStarted' && e.runIndex)).toEqual([0, 1, 2]);
    expect(h.events.filter((e) => e.type === 'runDone').length).toBe(3);
    expect(created[1].dataset).toBe(created[0].dataset);
    await h.send({ type: 'stop' });
  });

  it('reports divergence with the step, then ends the run', async () => {
    const h = harness({
      createTrainer: async (config, opts) => {
        const clean = await Trainer.create(config, opts);
        const ds = clean.dataset;
        clean.dispose();
        // Labels of 1e20 square to +Inf: the loss is non-finite from step 1.
        const y = ds.train.y.map((v, i) => (i % 7 === 0 ? 1e20 : v));
        return Trainer.create(config, { ...opts, dataset: { ...ds, train: { ...ds.train, y } } });
      },
    });
    await h.send({ type: 'start', runId: 'd', config: small({ readbackEvery: 1 }) });
    const div = await h.waitFor((e) => e.type === 'diverged');
    expect(div.type === 'diverged' && div.step).toBe(1);
    const done = await h.waitFor((e) => e.type === 'done');
    expect(done.type === 'done' && done.results[0].status).toBe('diverged');
    await h.send({ type: 'stop' });
  });

  it('a lost backend is left for the next one and the run restarts from step 0', async () => {
    const h = harness();
    await h.send({ type: 'start', runId: 'lost', config: small({ steps: 100_000 }) });
    await h.waitFor((e) => isSnap(e) && e.step > 5);
    const from = h.events.length;
    await h.send({ type: 'simulateDeviceLoss' });
    const lost = await h.waitFor((e) => e.type === 'deviceLost', from);
    expect(lost.type === 'deviceLost' && lost.nextBackend).toBe('cpu');
    expect(lost.type === 'deviceLost' && lost.message).toMatch(/step 0/);
    const ready = await h.waitFor((e) => e.type === 'ready', from);
    expect(ready.type === 'ready' && ready.attempts[0]).toMatchObject({ backend: 'wasm', ok: false });
    await h.waitFor((e) => e.type === 'runStarted', from);
    await h.waitFor((e) => isSnap(e) && e.step > 0, from);
    const firstAfter = h.events.slice(from).find((e) => e.type === 'snapshot') as unknown as Snapshot;
    expect(firstAfter.curveSteps[0]).toBe(1);
    expect((await h.stats()).backend).toBe('cpu');
    await h.send({ type: 'stop' });
    await tf.setBackend('wasm');
  });

  it('auto measures once per model shape (the probe gets the config and the hooks); a forced choice is not measured', async () => {
    const probes: { choice: string; key: string | null; hooks: unknown }[] = [];
    const h = harness({
      selectBackend: async (choice, _exclude, autoProbe) => {
        probes.push({ choice, key: autoProbe ? JSON.stringify(autoProbe.config.model) : null, hooks: autoProbe?.hooks });
        await tf.setBackend('wasm');
        return { backend: 'wasm', attempts: [{ backend: 'wasm', ok: true, reason: 'node', ...(autoProbe ? { stepsPerSec: 100 } : {}) }] };
      },
    });
    const auto = (hidden: number, lr = 0.01) => ({ ...small({ steps: 5, learningRate: lr }), model: { ...small().model, expertHidden: [hidden] }, backend: 'auto' as const });
    await h.send({ type: 'start', runId: 'a', config: auto(8) });
    await h.send({ type: 'start', runId: 'b', config: auto(8, 0.02) }); // same shape: cached
    await h.send({ type: 'start', runId: 'c', config: auto(12) }); // new shape: measured
    await h.send({ type: 'probeHooks', failBackends: ['webgpu'] });
    await h.send({ type: 'start', runId: 'd', config: auto(12) }); // hooks changed: measured again
    await h.send({ type: 'start', runId: 'e', config: { ...auto(12), backend: 'wasm' } }); // forced
    await h.send({ type: 'stop' });
    expect(probes.map((p) => [p.choice, p.key !== null])).toEqual([
      ['auto', true],
      ['auto', true],
      ['auto', true],
      ['wasm', false],
    ]);
    expect(probes[2].hooks).toEqual({ failBackends: ['webgpu'], softwareWebGPU: false });
    const readies = h.events.filter((e) => e.type === 'ready');
    expect(readies).toHaveLength(4); // one per measurement, one for the forced backend
    expect(readies[0].type === 'ready' && readies[0].attempts[0].stepsPerSec).toBe(100);
  });

  it('exports model.json, results.json and CSV; rejects a bad config with a readable error', async () => {
    const h = harness();
    let from = h.events.length;
    await h.send({ type: 'export', requestId: 'none' });
    const noRun = await h.waitFor((e) => e.type === 'error', from).catch((e: Error) => ({ type: 'error', message: e.message }));
    expect(noRun.type).toBe('error');

    from = h.events.length;
    await h.send({ type: 'start', runId: 'x', config: small({ steps: 30 }) });
    await h.waitFor((e) => e.type === 'done', from);
    from = h.events.length;
    await h.send({ type: 'export', requestId: 'e1' });
    const ex = await h.waitFor((e) => e.type === 'exported', from);
    if (ex.type !== 'exported') throw new Error('unreachable');
    expect(JSON.parse(ex.resultsJson).steps).toBe(30);
    expect(Object.keys(JSON.parse(ex.modelJson)).length).toBeGreaterThan(0);
    expect(ex.csv.split('\n')[0]).toMatch(/step/);

    from = h.events.length;
    await h.send({ type: 'start', runId: 'bad', config: { ...small(), train: { learningRate: -1 } } });
    const err = await h.waitFor((e) => e.type === 'error', from).catch((e: Error) => ({ type: 'error', message: e.message }));
    expect('message' in err && err.message).toMatch(/learning rate/);
  });
});
