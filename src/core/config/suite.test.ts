import { describe, expect, it } from 'vitest';
import type { ExperimentResults, TaskMetrics } from '../types';
import { getPreset } from './presets';
import { ConfigError, mustParseExperiment, type ExperimentInput } from './schema';
import { computeMtlGains, withGains, evalEveryFor, expandConfig, expandPreset, seedsFor, stat, summarizeSuite, type SuiteRun } from './suite';

const seesaw = getPreset('seesaw')!;

describe('seeds', () => {
  it('seed n → data n, init n+1000, batch n+2000', () => {
    expect(seedsFor(5)).toEqual({ data: 5, init: 1005, batch: 2005 });
    expect(() => seedsFor(0)).toThrow(/seed/);
    expect(() => seedsFor(1.5)).toThrow(/seed/);
    expect(() => seedsFor(2 ** 31)).toThrow(/seed/);
  });
});

describe('expandPreset', () => {
  it('gives every model of a seesaw the same data seed, init seed and batch seed', () => {
    const runs = expandPreset(seesaw, { seed: 7 });
    expect(runs).toHaveLength(seesaw.kind === 'suite' ? seesaw.variants.length : 1);
    for (const r of runs) {
      expect(r.seed).toBe(7);
      expect(r.config.data.seed).toBe(7);
      expect(r.config.train.initSeed).toBe(1007);
      expect(r.config.train.batchSeed).toBe(2007);
      expect(r.config.data).toEqual(runs[0].config.data);
    }
  });

  it('applies the step budget and scales the evaluation interval', () => {
    const runs = expandPreset(seesaw, { steps: 400 });
    for (const r of runs) {
      expect(r.config.train.steps).toBe(400);
      expect(r.config.train.evalEvery).toBe(20);
    }
    expect(expandPreset(seesaw)[0].config.train.steps).toBe(seesaw.steps);
    expect(evalEveryFor(7)).toBe(1);
  });

  it('expands several seeds seed-major, single-task first, with distinct names', () => {
    const runs = expandPreset(seesaw, { seeds: [3, 4] });
    const n = seesaw.kind === 'suite' ? seesaw.variants.length : 1;
    expect(runs).toHaveLength(2 * n);
    expect(runs.slice(0, n).every((r) => r.seed === 3)).toBe(true);
    expect(runs.slice(n).every((r) => r.seed === 4)).toBe(true);
    expect(runs[0].config.model.type).toBe('single-task');
    expect(runs[n].config.model.type).toBe('single-task');
    expect(runs[0].name).toBe('single-task-seed3');
    expect(new Set(runs.map((r) => r.name)).size).toBe(2 * n);
    // a new seed changes the data
    expect(runs[n].config.data.seed).not.toBe(runs[0].config.data.seed);
  });

  it('rejects repeated or out-of-range seeds', () => {
    expect(() => expandPreset(seesaw, { seeds: [1, 1] })).toThrow(/distinct/);
    expect(() => expandPreset(seesaw, { seed: 0 })).toThrow(/seed/);
  });

  it("runs fit the worker protocol's SuiteRunSpec ({ name, seed, config: ExperimentInput })", () => {
    const spec: { name: string; seed: number; config: ExperimentInput }[] = expandPreset(seesaw);
    expect(spec[0].config.model?.type).toBe('single-task');
  });

  it('a single preset expands to one run named after it', () => {
    const runs = expandPreset(getPreset('ple')!, { steps: 50 });
    expect(runs.map((r) => r.name)).toEqual(['ple']);
    expect(runs[0].config.model.type).toBe('ple');
  });
});

describe('expandConfig', () => {
  const file: ExperimentInput = { model: { type: 'mmoe', sharedExperts: 3 }, data: { seed: 42 }, train: { initSeed: 9, batchSeed: 10, steps: 300, evalEvery: 50 } };

  it("keeps the file's own seeds and evaluation interval without overrides", () => {
    const [r] = expandConfig(file);
    expect(r.config.data.seed).toBe(42);
    expect(r.config.train.initSeed).toBe(9);
    expect(r.config.train.batchSeed).toBe(10);
    expect(r.config.train.evalEvery).toBe(50);
    expect(r.seed).toBe(42);
  });

  it('applies --seed and --steps; clamps an evaluation interval longer than the run', () => {
    const [r] = expandConfig(file, { seed: 3, steps: 20 });
    expect(r.config.data.seed).toBe(3);
    expect(r.config.train.initSeed).toBe(1003);
    expect(r.config.train.batchSeed).toBe(2003);
    expect(r.config.train.steps).toBe(20);
    expect(r.config.train.evalEvery).toBe(1);
    expect(expandConfig(file, { seeds: [1, 2] }).map((x) => x.name)).toEqual(['run-seed1', 'run-seed2']);
  });

  it('throws a ConfigError naming the field for an invalid config', () => {
    expect(() => expandConfig({ model: { levels: 0 } })).toThrow(ConfigError);
    expect(() => expandConfig({ model: { levels: 0 } })).toThrow('model.levels: levels must be between 1 and 4 (got 0)');
  });
});

// ---------- gains and summary on hand-made results ----------

function metrics(types: ('regression' | 'binary')[], values: number[]): TaskMetrics[] {
  return types.map((type, k) =>
    type === 'binary' ? { task: k, type, loss: 0.5, auc: values[k], logloss: 0.5, n: 100 } : { task: k, type, loss: values[k], mse: values[k], n: 100 },
  );
}

function fakeResults(run: SuiteRun, test: TaskMetrics[] | null, status: ExperimentResults['status'] = 'done'): ExperimentResults {
  const c = run.config;
  return {
    version: 1,
    name: run.name,
    model: c.model.type,
    config: c,
    backend: 'wasm',
    seeds: { data: c.data.seed, init: c.train.initSeed, batch: c.train.batchSeed },
    status,
    steps: c.train.steps,
    wallSeconds: 1,
    train: [],
    val: [],
    test,
    gateStats: [],
    taskWeights: [1, 1],
    data: { requested: [], weightCosine: [], labelCorrelation: [], observedFraction: [1, 1], positiveRate: [NaN, 0.5] },
  };
}

describe('MTL gain and summary', () => {
  const types: ('regression' | 'binary')[] = ['regression', 'binary'];
  const runs = expandPreset(seesaw, { seeds: [1, 2], steps: 100 });
  const find = (variant: string, seed: number) => runs.find((r) => r.variant === variant && r.seed === seed)!;

  it('compares each model with the single-task run of its own seed (MSE: single − model, AUC: model − single)', () => {
    const results = [
      fakeResults(find('single-task', 1), metrics(types, [1.0, 0.8])),
      fakeResults(find('mmoe', 1), metrics(types, [0.9, 0.75])),
      fakeResults(find('single-task', 2), metrics(types, [2.0, 0.6])),
      fakeResults(find('mmoe', 2), metrics(types, [2.5, 0.7])),
      fakeResults(find('cgc', 2), null, 'diverged'),
    ];
    const gains = computeMtlGains(results);
    expect(gains[0]).toEqual([0, 0]);
    expect(gains[1]![0]).toBeCloseTo(0.1, 12);
    expect(gains[1]![1]).toBeCloseTo(-0.05, 12);
    expect(gains[3]![0]).toBeCloseTo(-0.5, 12);
    expect(gains[3]![1]).toBeCloseTo(0.1, 12);
    expect(gains[4]).toEqual([null, null]);
  });

  it('has no gain where the suite has no matching single-task run', () => {
    const other = expandConfig({ model: { type: 'mmoe' } }, { seed: 1, steps: 100 })[0];
    const results = [fakeResults(find('single-task', 1), metrics(types, [1, 0.8])), fakeResults(other, metrics(['regression', 'regression'], [1, 1]))];
    expect(computeMtlGains(results)[1]).toBeUndefined();
    // same model and seed but another budget: not comparable
    const longer = expandPreset(seesaw, { seed: 1, steps: 200 }).find((r) => r.variant === 'mmoe')!;
    expect(computeMtlGains([results[0], fakeResults(longer, metrics(types, [1, 0.8]))])[1]).toBeUndefined();
  });

  it('never picks the baseline by run order: like-with-like sizes first, then the smallest name; the gain names it', () => {
    const st = find('single-task', 1);
    const deep = { ...st, name: 'single-task-deep', config: { ...st.config, model: { ...st.config.model, expertHidden: [64, 64] } } };
    const a = { ...fakeResults(st, metrics(types, [1.0, 0.8])), params: 100 };
    const b = { ...fakeResults(deep, metrics(types, [0.5, 0.9])), params: 200 };
    const m = fakeResults(find('mmoe', 1), metrics(types, [0.9, 0.75]));
    const forward = withGains([a, b, m]);
    const backward = withGains([m, b, a]);
    expect(forward[2].mtlGain).toEqual(backward[0].mtlGain);
    expect(forward[2].baseline).toEqual({ name: a.name, model: 'single-task', params: 100 });
    expect(backward[0].baseline).toEqual(forward[2].baseline);
    // A deep model is compared with the deep baseline.
    const mDeep = fakeResults({ ...find('mmoe', 1), config: { ...find('mmoe', 1).config, model: { ...find('mmoe', 1).config.model, expertHidden: [64, 64] } } }, metrics(types, [0.9, 0.75]));
    expect(withGains([a, b, mDeep])[2].baseline?.name).toBe('single-task-deep');
    expect(withGains([mDeep, a, b])[0].baseline?.name).toBe('single-task-deep');
  });

  it('summarises per variant with mean and sample std over seeds, skipping missing values', () => {
    const finished = [
      { run: find('mmoe', 1), results: { ...fakeResults(find('mmoe', 1), metrics(types, [1.0, 0.7])), mtlGain: [0.1, -0.1] } },
      { run: find('mmoe', 2), results: { ...fakeResults(find('mmoe', 2), metrics(types, [3.0, 0.9])), mtlGain: [0.3, null] } },
      { run: find('cgc', 1), results: fakeResults(find('cgc', 1), null, 'diverged') },
    ];
    const s = summarizeSuite({ preset: 'seesaw', title: 'Seesaw', backend: 'wasm' }, finished);
    expect(s.seeds).toEqual([1, 2]);
    expect(s.runs).toHaveLength(3);
    expect(s.runs[0].tasks.map((t) => t.metric)).toEqual(['mse', 'auc']);
    const mmoe = s.variants.find((v) => v.variant === 'mmoe')!;
    expect(mmoe.runs).toBe(2);
    expect(mmoe.tasks[0].value.mean).toBeCloseTo(2.0, 12);
    expect(mmoe.tasks[0].value.std).toBeCloseTo(Math.SQRT2, 12);
    expect(mmoe.tasks[1].value.mean).toBeCloseTo(0.8, 12);
    expect(mmoe.tasks[0].mtlGain.mean).toBeCloseTo(0.2, 12);
    expect(mmoe.tasks[1].mtlGain).toEqual({ mean: -0.1, std: null, n: 1 });
    const cgc = s.variants.find((v) => v.variant === 'cgc')!;
    expect(cgc.diverged).toBe(1);
    expect(cgc.tasks).toEqual([]);
    expect(JSON.stringify(s)).not.toMatch(/NaN/);
  });

  it('stat ignores non-finite values', () => {
    expect(stat([1, NaN, 3, null, undefined, Infinity])).toEqual({ mean: 2, std: Math.SQRT2, n: 2 });
    expect(stat([])).toEqual({ mean: null, std: null, n: 0 });
  });

  it('fake results are valid configs (guards the helpers above)', () => {
    expect(() => mustParseExperiment(runs[0].config)).not.toThrow();
  });
});
