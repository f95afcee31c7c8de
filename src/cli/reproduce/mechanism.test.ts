// The mechanism parts' rules (regional routing, negative transfer, ESMM on the
// exposure space) on hand-made numbers: each can say shown and not shown, and
// reads the right numbers, paired by seed with the 2-SE rule.
import { describe, expect, it } from 'vitest';
import type { ExperimentResults } from '../../core/types';
import { analyseEsmm, analyseNegative, analyseRegional } from './mechanismAnalysis';
import { analyseFeatures } from './featureAnalysis';
import { effect, paired } from './paired';
import type { PartSeedResult, PartSeedResult as U } from './runSeed';

const SEEDS = [1, 2, 3, 4, 5];
type Over = Partial<ExperimentResults> & { tasks?: ('regression' | 'binary')[] };

function res(model: string, o: Over = {}): ExperimentResults {
  const tasks = o.tasks ?? ['regression', 'regression'];
  return {
    model,
    status: 'done',
    steps: 100,
    bestStep: 50,
    params: 1000,
    wallSeconds: 1,
    config: { data: { tasks: tasks.map((type, k) => ({ type, name: 'AB'[k] })) }, model: {}, train: { weighting: { kind: 'fixed' } } },
    data: {},
    test: tasks.map((type, k) => (type === 'binary' ? { task: k, type, loss: 0.5, auc: 0.8, n: 10 } : { task: k, type, loss: 0.5, mse: 0.5, n: 10 })),
    gateStats: [],
    ...o,
  } as unknown as ExperimentResults;
}
const units = (part: U['part'], runs: (seed: number) => [string, ExperimentResults][]): PartSeedResult[] =>
  SEEDS.map((seed) => ({ part, seed, steps: 100, backend: 'test', wallSeconds: 1, runs: runs(seed).map(([variant, results]) => ({ variant, label: variant, results, testLabelVariance: [1, 1] })) }));
const gates = (a: number, b: number) => [{ level: 0, taskGateL1: 0, meanTaskEntropy: 0, gates: [{ id: 'task:0', regionL1: a }, { id: 'task:1', regionL1: b }] }] as never;
const jitter = (s: number) => 0.01 * (s - 3);

describe('paired statistics', () => {
  it('mean ± SE of per-seed differences; an effect only past 2 SE', () => {
    const p = paired([1, 2, 3, 4], (s) => [1, 2, 3, 4][s - 1], (s) => [0, 1, 2, 3.5][s - 1]);
    expect(p.mean).toBeCloseTo(0.875, 12);
    expect(p.se).toBeCloseTo(0.125, 12);
    expect(effect(p)).toBe('positive');
    expect(effect(paired([1, 2, 3], (s) => [1, -1, 0.5][s - 1]))).toBe('none');
    expect(paired([1, 2], (s) => (s === 1 ? 1 : null)).n).toBe(1);
  });
});

describe('regional routing (R1, R2)', () => {
  it("shown when the changing task's gate routes the regions apart and the other does not", () => {
    const a = analyseRegional(units('regional', (s) => [['mmoe', res('mmoe', { gateStats: gates(0.1 + jitter(s), 0.9 + jitter(s)) })], ['cgc', res('cgc', { gateStats: gates(0.1, 0.1 + jitter(s)) })]]));
    expect(a.findings.map((f) => [f.id, f.verdict])).toEqual([
      ['R1', 'shown'],
      ['R2', 'not shown'],
    ]);
    expect(a.rows[0].extra['gate B region L1'].mean).toBeCloseTo(0.9, 12);
  });
  it('not run without region statistics (global generator)', () => {
    const a = analyseRegional(units('regional', () => [['mmoe', res('mmoe', { gateStats: gates(null as never, null as never) })]]));
    expect(a.findings[0].verdict).toBe('not run');
  });
});

describe('negative transfer (N1–N3)', () => {
  const bin: ('regression' | 'binary')[] = ['regression', 'binary'];
  const run = (g: (s: number) => [number, number]) => (s: number) => res('mmoe', { tasks: bin, mtlGain: g(s) });
  it('overfitting at the last step, cured by early stopping and by smaller experts', () => {
    const a = analyseNegative(
      units('negative', (s) => [
        ['single-task', res('single-task', { tasks: bin, mtlGain: [0, 0] })],
        ['mmoe-last-step', run(() => [-0.05, -0.06 + jitter(s)])(s)],
        ['mmoe', run(() => [0.01, 0.001 * (s - 3)])(s)],
        ['mmoe-small', run(() => [0, -0.01 + jitter(s) / 2])(s)],
      ]),
    );
    expect(a.findings.map((f) => [f.id, f.verdict])).toEqual([
      ['N1', 'shown'],
      ['N2', 'shown'],
      ['N3', 'partly shown'],
    ]);
  });
  it('no negative transfer: not shown', () => {
    const a = analyseNegative(units('negative', (s) => [['mmoe-last-step', run(() => [0.01, jitter(s)])(s)]]));
    expect(a.findings[0].verdict).toBe('not shown');
  });
});

describe('ESMM on the exposure space (E1, E2)', () => {
  const ex = (cvr: number, ctcvr: number) => ({ exposure: { cvrAuc: cvr, ctcvrAuc: ctcvr, n: 100 }, tasks: ['binary', 'binary'] as ('binary' | 'regression')[] });
  it('reads the exposure-space AUCs, paired by seed', () => {
    const a = analyseEsmm(
      units('esmm', (s) => [
        ['shared-bottom', res('shared-bottom', ex(0.7 + jitter(s), 0.8))],
        ['mmoe', res('mmoe', ex(0.72 + jitter(s), 0.8 + jitter(s)))],
        ['esmm', res('esmm', ex(0.75 + jitter(s), 0.8 + jitter(s) / 10))],
      ]),
    );
    expect(a.findings.map((f) => [f.id, f.verdict])).toEqual([
      ['E1', 'shown'],
      ['E2', 'not shown'],
      ['E3', 'not run'],
    ]);
  });

  it('E3: ESMM over CGC against ESMM, both exposure AUCs, paired by seed', () => {
    const base = (s: number): [string, ExperimentResults][] => [
      ['shared-bottom', res('shared-bottom', ex(0.7, 0.8))],
      ['esmm', res('esmm', ex(0.75 + jitter(s), 0.8 + jitter(s)))],
    ];
    const e3 = (cvr: number, ctcvr: number) =>
      analyseEsmm(units('esmm', (s) => [...base(s), ['esmm-cgc', res('esmm', ex(0.75 + cvr + jitter(s) / 3, 0.8 + ctcvr + jitter(s) / 3))]])).findings[2];
    expect(e3(0.02, 0.02).verdict).toBe('shown');
    expect(e3(0.02, 0).verdict).toBe('partly shown');
    expect(e3(0, 0).verdict).toBe('not shown');
    expect(e3(-0.03, -0.03).evidence).toMatch(/2 of 2 worse/);
  });
});

describe('feature-selection gates (F1–F3)', () => {
  // A gate whose mean weight follows |w| (found) or ignores it (uniform + noise).
  const absA = [1, 1, 1, 0, 0, 0];
  const absB = [0, 0, 0, 1, 1, 1];
  const gate = (id: string, target: number[], found: boolean, s: number) => ({
    id,
    label: id,
    meanWeight: target.map((v, t) => (found ? 0.1 + 0.2 * v : 1 / 6) + 0.001 * Math.sin(7 * s + t)),
    trueAbsWeight: target,
    correlation: null as number | null,
  });
  const withR = (g: ReturnType<typeof gate>) => {
    const m = g.meanWeight.reduce((a, b) => a + b, 0) / 6;
    const t = g.trueAbsWeight.reduce((a, b) => a + b, 0) / 6;
    const c = g.meanWeight.reduce((acc, v, i) => acc + (v - m) * (g.trueAbsWeight[i] - t), 0);
    const va = g.meanWeight.reduce((acc, v) => acc + (v - m) ** 2, 0);
    const vb = g.trueAbsWeight.reduce((acc, v) => acc + (v - t) ** 2, 0);
    return { ...g, correlation: c / Math.sqrt(va * vb) };
  };
  const fg = (found: boolean, mse: number, s: number) =>
    res('cgc', { featureGates: [withR(gate('task:0', absA, found, s)), withR(gate('task:1', absB, found, s))], test: [0, 1].map((k) => ({ task: k, type: 'regression' as const, loss: mse, mse: mse + jitter(s) / 10, n: 10 })) });
  const plain = (s: number) => res('cgc', { test: [0, 1].map((k) => ({ task: k, type: 'regression' as const, loss: 0.5, mse: 0.5 + jitter(s) / 10, n: 10 })) });
  const run = (found: boolean, mse: number) =>
    analyseFeatures(
      units('features', (s) => [
        ['cgc', plain(s)],
        ['cgc-feature-gates', fg(found, mse, s)],
        ['mmoe', plain(s)],
        ['mmoe-feature-gates', fg(found, mse, s)],
      ]),
    ).findings.map((f) => [f.id, f.verdict]);
  it('shown when the gates follow |w_k| and lower the MSE; not shown when they do not', () => {
    expect(run(true, 0.4)).toEqual([
      ['F1', 'shown'],
      ['F2', 'shown'],
      ['F3', 'shown'],
    ]);
    expect(run(false, 0.5)).toEqual([
      ['F1', 'not shown'],
      ['F2', 'not shown'],
      ['F3', 'not shown'],
    ]);
  });
});

describe('trade-off curves (T1, T2)', () => {
  const ratios = [0.1, 0.5, 0.9];
  const run = (model: string, r: number, gain: [number, number]) =>
    ({
      ...res(model, { mtlGain: gain }),
      config: { data: { tasks: [{ type: 'regression', name: 'A' }, { type: 'binary', name: 'B' }] }, model: {}, train: { weighting: { kind: 'fixed', weights: [2 * r, 2 * (1 - r)] } } },
    }) as unknown as ExperimentResults;
  // Gains per model as a function of the ratio, with a little seed noise.
  const sweep = (curves: Record<string, (r: number) => [number, number]>) =>
    units('tradeoff', (s) => [
      ['single-task', res('single-task', { mtlGain: [0, 0] })],
      ...Object.entries(curves).flatMap(([m, f]) => ratios.map((r) => [`${m}-w${r}`, run(m, r, [f(r)[0] + jitter(s) / 10, f(r)[1] - jitter(s) / 10])] as [string, ExperimentResults])),
    ]);
  it('dominance and slope, paired by seed', () => {
    const a = (base: number) => (r: number): [number, number] => [base + 0.1 * r, base - 0.1 * r];
    const t = (x: number) => import('./tradeoffAnalysis').then((m) => m.analyseTradeoff(sweep({ 'shared-bottom': a(0), mmoe: a(0), cgc: a(x), ple: a(x) })));
    return Promise.all([t(0.05), t(0)]).then(([up, same]) => {
      expect(up.findings.map((f) => [f.id, f.verdict])).toEqual([
        ['T1', 'shown'],
        ['T2', 'shown'],
      ]);
      expect(up.ratios).toEqual(ratios);
      expect(up.curves.map((c) => c.model)).toEqual(['shared-bottom', 'mmoe', 'cgc', 'ple']);
      // Equal curves: nobody dominates.
      expect(same.findings[0].verdict).toBe('not shown');
    });
  });
});
