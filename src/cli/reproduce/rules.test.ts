// The verdict rules on hand-made numbers: each rule must be able to say
// shown, partly shown and not shown, and must read the right numbers.
import { describe, expect, it } from 'vitest';
import type { ModelType } from '../../core/config/schema';
import type { ExperimentResults, GateStats, LevelGateStats } from '../../core/types';
import { parseReproduceArgs } from './args';
import { configDiff } from './configDiff';
import { makePlan, partRuns, QUICK_STEPS } from './plan';
import type { PartSeedResult, SeedRun } from './runSeed';
import { analyseSeesaw, quadrant } from './seesawAnalysis';
import { analyseSweep } from './sweepAnalysis';
import { analyseUtilisation, uniformTaskL1 } from './utilisationAnalysis';

function result(model: ModelType, o: { p?: number; mse?: number[]; auc?: number; gain?: [number, number]; gates?: LevelGateStats[]; status?: ExperimentResults['status'] }): ExperimentResults {
  const binary = o.auc !== undefined;
  const test = binary
    ? [
        { task: 0, type: 'regression' as const, loss: o.mse![0], mse: o.mse![0], n: 100 },
        { task: 1, type: 'binary' as const, loss: 0.5, logloss: 0.5, auc: o.auc, n: 100 },
      ]
    : (o.mse ?? [1, 1]).map((m, k) => ({ task: k, type: 'regression' as const, loss: m, mse: m, n: 100 }));
  return {
    model,
    status: o.status ?? 'done',
    steps: 10,
    wallSeconds: 1,
    config: { data: { correlation: o.p ?? 0.5, tasks: [{ type: 'regression', name: 'A' }, { type: binary ? 'binary' : 'regression', name: 'B' }] } },
    data: { labelCorrelation: [[1, o.p ?? 0.5], [o.p ?? 0.5, 1]] },
    test,
    gateStats: o.gates ?? [],
    ...(o.gain ? { mtlGain: o.gain } : {}),
  } as unknown as ExperimentResults;
}

const run = (variant: string, results: ExperimentResults, variance: (number | null)[] = [1, 1]): SeedRun => ({ variant, label: variant, results, testLabelVariance: variance });
const unit = (part: PartSeedResult['part'], seed: number, runs: SeedRun[]): PartSeedResult => ({ part, seed, steps: 10, backend: 'test', runs, wallSeconds: 1 });

// ---------- sweep ----------

/** MSE per model and p as a function of the seed. */
function sweepUnits(mse: (model: ModelType, p: number, seed: number) => number, variance = (_seed: number) => 1): PartSeedResult[] {
  return [1, 2, 3, 4, 5].map((seed) =>
    unit(
      'sweep',
      seed,
      (['shared-bottom', 'omoe', 'mmoe'] as ModelType[]).flatMap((m) =>
        [1, 0.9, 0.8, 0.5].map((p) => run(`${m}-p${p}`, result(m, { p, mse: [mse(m, p, seed) * variance(seed), mse(m, p, seed) * variance(seed)] }), [variance(seed), variance(seed)])),
      ),
    ),
  );
}
const slope: Record<string, number> = { 'shared-bottom': 0.6, omoe: 0.4, mmoe: 0.2 };
const noise = (seed: number) => [0.01, -0.02, 0.015, -0.005, 0][seed - 1];

describe('sweep rules', () => {
  it('shows the papers\' pattern when the numbers have it, on any label scale', () => {
    const a = analyseSweep(sweepUnits((m, p, s) => 0.3 + slope[m] * (1 - p) + noise(s) * (m === 'shared-bottom' ? 5 : 1), (s) => [1, 5, 2, 0.5, 3][s - 1]));
    expect(a.findings.map((f) => [f.id, f.verdict])).toEqual([
      ['S1', 'shown'],
      ['S2', 'shown'],
      ['S3', 'shown'],
    ]);
    // The normalised value divides the per-seed label variance back out.
    expect(a.normCells.find((c) => c.model === 'mmoe' && c.p === 1)!.stat.mean).toBeCloseTo(0.3 + 0.0 / 5, 10);
  });

  it('reports the reverse ordering as not shown', () => {
    const a = analyseSweep(sweepUnits((m, p, s) => 0.3 + (0.8 - slope[m]) * (1 - p) + noise(s) * (m === 'mmoe' ? 5 : 1)));
    expect(a.findings.find((f) => f.id === 'S2')!.verdict).toBe('not shown');
    expect(a.findings.find((f) => f.id === 'S3')!.verdict).toBe('not shown');
  });

  it('is partly shown when only some models degrade', () => {
    const a = analyseSweep(sweepUnits((m, p, s) => 0.3 + (m === 'mmoe' ? -0.1 : slope[m]) * (1 - p) + noise(s)));
    expect(a.findings.find((f) => f.id === 'S1')!.verdict).toBe('partly shown');
  });

  it('leaves out runs that did not finish and says "not run" without data', () => {
    expect(analyseSweep([]).findings.every((f) => f.verdict === 'not run')).toBe(true);
  });
});

// ---------- utilisation ----------

function gate(level: number, id: string, experts: [string, number][], mean: number[]): GateStats {
  return {
    level,
    id,
    label: id,
    experts: experts.map(([module, index]) => ({ module, index, label: `${module}${index}` })),
    mean,
    std: mean.map(() => 0.1),
    variance: mean.map(() => 0.01),
    entropy: 0.5,
    ownWeight: null,
    ownUniform: null,
  };
}
const S: [string, number][] = [['shared', 0], ['shared', 1], ['shared', 2]];
const mmoeLevel = (l1: number, m: number[] = [0.3, 0.3, 0.4]): LevelGateStats => ({ level: 0, gates: [gate(0, 'task:0', S, m), gate(0, 'task:1', S, m)], taskGateL1: l1, meanTaskEntropy: 1 });
const cgcLevel = (l1: number, own: number): LevelGateStats => ({
  level: 0,
  gates: [gate(0, 'task:0', [['task:0', 0], ['shared', 0]], [own, 1 - own]), gate(0, 'task:1', [['task:1', 0], ['shared', 0]], [own, 1 - own])],
  taskGateL1: l1,
  meanTaskEntropy: 0.6,
});

describe('utilisation rules', () => {
  it('knows the structural distance of uniform gates', () => {
    expect(uniformTaskL1(mmoeLevel(0))).toBe(0);
    expect(uniformTaskL1(cgcLevel(0, 0.5))).toBeCloseTo(1, 12);
  });

  it('compares MMoE with CGC per seed and checks own-expert use against the uniform share', () => {
    const units = (mm: number[], cg: number[], own: number, minW: number) =>
      [0, 1, 2, 3, 4].map((i) =>
        unit('utilisation', i + 1, [
          run('mmoe', result('mmoe', { gates: [mmoeLevel(mm[i], [minW, 0.5 - minW / 2, 0.5 - minW / 2])] })),
          run('cgc', result('cgc', { gates: [cgcLevel(cg[i], own)] })),
        ]),
      );
    const good = analyseUtilisation(units([0.2, 0.3, 0.2, 0.25, 0.22], [1.4, 1.5, 1.3, 1.4, 1.2], 0.7, 0.2));
    expect(good.findings.map((f) => [f.id, f.verdict])).toEqual([
      ['U1', 'shown'],
      ['U2', 'shown'],
      ['U3', 'shown'],
      ['U4', 'not run'],
    ]);
    // One seed where MMoE's gates drift apart moves the paired mean below 2 SE.
    expect(analyseUtilisation(units([0.2, 0.3, 0.2, 0.25, 1.5], [1.4, 1.5, 1.3, 1.4, 1.2], 0.7, 0.2)).findings[0].verdict).toBe('not shown');
    const bad = analyseUtilisation(units([1.5, 1.5, 1.5, 0.2, 0.2], [1.2, 1.2, 1.2, 1.2, 1.2], 0.3, 0.01));
    expect(bad.findings.map((f) => [f.id, f.verdict])).toEqual([
      ['U1', 'not shown'],
      ['U2', 'not shown'],
      ['U3', 'not shown'],
      ['U4', 'not run'],
    ]);
    // A CGC distance above MMoE's only by structure (uniform CGC gates are 1 apart) does not count.
    const structural = analyseUtilisation(units([0.3, 0.3, 0.3, 0.3, 0.3], [1.05, 1.05, 1.05, 1.05, 1.05], 0.7, 0.2));
    expect(structural.findings[0].verdict).toBe('not shown');
    const row = good.rows.find((r) => r.model === 'cgc')!;
    expect(row.ownUniform).toBe(0.5);
    expect(row.ownWeight!.mean).toBeCloseTo(0.7, 12);
  });
});

// ---------- seesaw ----------

function seesawUnits(gains: Record<string, (seed: number) => [number, number]>): PartSeedResult[] {
  return [1, 2, 3].map((seed) =>
    unit('seesaw', seed, [
      run('single-task', result('single-task', { mse: [1], auc: 0.8, gain: [0, 0] }), [1, null]),
      ...Object.entries(gains).map(([m, g]) => run(m, result(m as ModelType, { mse: [1 - g(seed)[0]], auc: 0.8 + g(seed)[1], gain: g(seed) }), [1, null])),
    ]),
  );
}

describe('seesaw rules', () => {
  it('places points in quadrants', () => {
    expect(quadrant(0.1, 0.2)).toBe('gains on both');
    expect(quadrant(0.1, -0.2)).toBe('seesaw');
    expect(quadrant(-0.1, -0.2)).toBe('loses on both');
    expect(quadrant(0, 0.2)).toBe('on an axis');
    expect(quadrant(null, 0.2)).toBe('n/a');
  });

  it('shows the seesaw and CGC/PLE on top when the gains say so', () => {
    const j = (s: number) => s * 0.001;
    const a = analyseSeesaw(
      seesawUnits({
        'shared-bottom': (s) => [0.05 + j(s), -0.02],
        omoe: (s) => [-0.03, 0.01 + j(s)],
        mmoe: (s) => [0.02 + j(s), -0.01],
        cgc: (s) => [0.03 + j(s), 0.02 + j(s)],
        ple: (s) => [0.04 + j(s), 0.03 + j(s)],
      }),
    );
    // 3 of 5 MTL models seesaw past 2 SE (> half): shown.
    expect(a.findings.map((f) => [f.id, f.verdict])).toEqual([
      ['W1', 'shown'],
      ['W2', 'shown'],
      ['W3', 'shown'],
      ['W4', 'shown'],
      ['W5', 'not run'],
      ['W6', 'shown'],
    ]);
    expect(a.rows.find((r) => r.model === 'ple')!.quadrant).toBe('gains on both');
  });

  it('is partly shown for a minority seesaw and for gains within seed noise', () => {
    const a = analyseSeesaw(
      seesawUnits({
        'shared-bottom': () => [0.05, -0.02],
        omoe: () => [0.03, -0.01],
        mmoe: () => [0.02, 0.01],
        // Positive means, but the seeds scatter more than the mean: not beyond one SE.
        cgc: (s) => [[0.1, -0.08, 0.01][s - 1], [0.1, -0.08, 0.01][s - 1]],
        ple: (s) => [0.03 + s * 0.001, 0.01],
      }),
    );
    expect(a.findings.map((f) => [f.id, f.verdict])).toEqual([
      ['W1', 'partly shown'],
      ['W2', 'partly shown'],
      ['W3', 'partly shown'],
      ['W4', 'shown'],
      ['W5', 'not run'],
      ['W6', 'shown'],
    ]);
  });

  it('reports PLE losing to MMoE as not shown', () => {
    const a = analyseSeesaw(seesawUnits({ mmoe: (s) => [0.05 + s * 0.001, 0.02], cgc: () => [-0.01, -0.01], ple: (s) => [-0.02 - s * 0.001, -0.03] }));
    expect(a.findings.map((f) => [f.id, f.verdict])).toEqual([
      ['W1', 'not shown'],
      ['W2', 'not shown'],
      ['W3', 'not shown'],
      ['W4', 'not run'],
      ['W5', 'not run'],
      ['W6', 'not run'],
    ]);
  });

  it('loss-scale seesaw (W4) and its cure by uncertainty weighting (W5), paired by seed', () => {
    const withUw = (g: (s: number) => [number, number]) =>
      seesawUnits({ 'shared-bottom': (s) => [0.3 + s * 0.01, -0.02 - s * 0.002] }).map((u) => ({
        ...u,
        runs: [...u.runs, run('shared-bottom-uncertainty', { ...result('shared-bottom', { mse: [1], auc: 0.8, gain: g(u.seed) }), config: { data: {}, train: { weighting: { kind: 'uncertainty' } } } } as unknown as ExperimentResults, [1, null])],
      }));
    const cured = analyseSeesaw(withUw((s) => [0.2 + s * 0.01, 0.001 * (s - 2)]));
    expect(cured.findings.filter((f) => f.id === 'W4' || f.id === 'W5').map((f) => f.verdict)).toEqual(['shown', 'shown']);
    const partly = analyseSeesaw(withUw((s) => [0.2, -0.01 - s * 0.001]));
    expect(partly.findings.find((f) => f.id === 'W5')!.verdict).toBe('partly shown');
    const not = analyseSeesaw(withUw((s) => [0.2, -0.03 - s * 0.002]));
    expect(not.findings.find((f) => f.id === 'W5')!.verdict).toBe('not shown');
    // A seesaw the other way round (the regression task pays) is a seesaw (W4) but not the loss-scale story (W6).
    const flipped = analyseSeesaw(seesawUnits({ 'shared-bottom': (s) => [-0.05 - s * 0.001, 0.01 + s * 0.001] }));
    expect(['W4', 'W6'].map((id) => flipped.findings.find((f) => f.id === id)!.verdict)).toEqual(['shown', 'not shown']);
  });
});

// ---------- plan, configs, arguments ----------

describe('plan and arguments', () => {
  it('runs the page presets: full size at their own budgets, quick at small ones', () => {
    const full = makePlan('full');
    expect(full.seeds).toEqual([1, 2, 3, 4, 5]);
    expect(full.parts.map((p) => p.presetId)).toEqual(['correlation-sweep', 'expert-utilisation', 'mmoe-vs-cgc', 'seesaw', 'seesaw-tradeoff', 'negative-transfer', 'esmm', 'feature-selection']);
    const quick = makePlan('quick');
    expect(quick.parts.map((p) => p.steps)).toEqual(quick.parts.map((p) => QUICK_STEPS[p.id]));
    const runs = partRuns(quick.parts[3], 4);
    expect(runs[0].config.model.type).toBe('single-task');
    expect(runs.every((r) => r.config.data.seed === 4 && r.config.train.initSeed === 1004 && r.config.train.batchSeed === 2004)).toBe(true);
    expect(configDiff(runs[0].config, runs[1].config)).toContain('model.type = "shared-bottom"');
  });

  it('parses the command line', () => {
    const ok = (argv: string[]) => {
      const r = parseReproduceArgs(argv, 2);
      if (!r.ok) throw new Error(r.error);
      return r.args;
    };
    // --jobs defaults to cores − 1, at least 1 (as npm run experiment).
    expect(ok([])).toMatchObject({ mode: 'full', out: 'docs', jobs: 1 });
    expect(parseReproduceArgs([], 8)).toMatchObject({ ok: true, args: { jobs: 7 } });
    expect(ok(['--quick'])).toMatchObject({ mode: 'quick', out: 'out/reproduce-quick' });
    expect(ok(['--quick', '--out', 'x', '--seeds', '3,1', '--parts', 'seesaw,sweep', '--jobs=1'])).toMatchObject({ out: 'x', seeds: [3, 1], parts: ['sweep', 'seesaw'], jobs: 1 });
    expect(parseReproduceArgs([], 1)).toMatchObject({ ok: true, args: { jobs: 1 } });
    expect(parseReproduceArgs(['--parts', 'nope'])).toMatchObject({ ok: false });
    expect(parseReproduceArgs(['--seeds', '1,1'])).toMatchObject({ ok: false });
    expect(parseReproduceArgs(['--jobs', '0'])).toMatchObject({ ok: false });
    expect(parseReproduceArgs(['--unit', 'sweep:1:10'])).toMatchObject({ ok: false, error: '--unit needs --unit-out' });
    expect(parseReproduceArgs(['extra'])).toMatchObject({ ok: false });
  });
});
