// The trade-off chart's grouping: one curve per model in ratio order, the
// mean over seeds per ratio, learned weightings and single runs left out,
// the same model at two sizes kept apart; and the shared drawer's SVG.
import { select } from 'd3';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { makeTradeoffPreset } from '../core/config/presets';
import { computeMtlGains, expandPreset, type SuiteRun } from '../core/config/suite';
import type { ExperimentResults } from '../core/types';
import { drawTradeoff } from './svg/tradeoff';
import type { SvgRoot } from './svg/types';
import { hasTradeoffCurve, stripRatio, tradeoffFrom } from './tradeoffData';

/** A finished run with test MSE on A and AUC on B chosen by the caller (the preset's regression + binary pair). */
function fake(run: SuiteRun, mse: number, auc: number, params = 1000): ExperimentResults {
  return {
    version: 1,
    name: run.name,
    model: run.config.model.type,
    config: run.config,
    backend: 'wasm',
    seeds: { data: run.config.data.seed, init: run.config.train.initSeed, batch: run.config.train.batchSeed },
    status: 'done',
    steps: run.config.train.steps,
    wallSeconds: 1,
    train: [],
    val: [],
    test: [
      { task: 0, type: 'regression', loss: mse, mse, n: 10 },
      { task: 1, type: 'binary', loss: 0.6, logloss: 0.6, auc, n: 10 },
    ],
    gateStats: [],
    taskWeights: [1, 1],
    data: { requested: [], weightCosine: [], labelCorrelation: [], observedFraction: [], positiveRate: [] },
    params,
  } as ExperimentResults;
}

const ratioOf = (name: string) => Number(/-w([\d.]+)/.exec(name)?.[1] ?? NaN);

/** Every run of a small grid: gain on A = ratio·0.1 + seed·0.001, gain on B = (1 − ratio)·0.1 (MSE 1 and AUC 0.7 for single-task). */
function suite(seeds: number[], models = ['mmoe', 'ple'] as const) {
  const preset = makeTradeoffPreset({ ratios: [0.8, 0.2, 0.5], models: [...models] });
  const runs = expandPreset(preset, { seeds, steps: 10 });
  const results = runs.map((r) => {
    if (r.config.model.type === 'single-task') return fake(r, 1, 0.7, 500);
    const w = ratioOf(r.variant);
    return fake(r, 1 - (w * 0.1 + r.seed * 0.001), 0.7 + (1 - w) * 0.1, r.config.model.type === 'mmoe' ? 1234 : 5678);
  });
  const labels = runs.map((r) => (seeds.length > 1 ? `${r.label} · seed ${r.seed}` : r.label));
  return { runs, results, labels };
}

describe('trade-off curves from results', () => {
  it('groups by model, orders points by ratio and averages the seeds', () => {
    const { results, labels } = suite([1, 2]);
    const d = tradeoffFrom(results, labels, 'test')!;
    expect(d.series.map((s) => s.label)).toEqual(['MMoE', 'PLE']);
    expect(d.curves).toBe(2);
    expect(d.taskNames).toEqual(['A (regression)', 'B (binary)']);
    expect(d.baseline).toMatch(/^Single-task/);
    const mmoe = d.series[0];
    expect(mmoe.params).toBe(1234);
    expect(mmoe.points.map((p) => p.ratio)).toEqual([0.2, 0.5, 0.8]);
    for (const p of mmoe.points) {
      expect(p.seeds).toHaveLength(2);
      expect(p.mean![0]).toBeCloseTo(p.ratio * 0.1 + 0.0015, 9);
      expect(p.mean![1]).toBeCloseTo((1 - p.ratio) * 0.1, 9);
    }
  });

  it('agrees with computeMtlGains point by point', () => {
    const { results, labels } = suite([3]);
    const gains = computeMtlGains(results);
    const d = tradeoffFrom(results, labels)!;
    const pts = d.series.flatMap((s) => s.points.flatMap((p) => p.seeds));
    const expected = results.flatMap((r, i) => (r.model === 'single-task' ? [] : [gains[i]!]));
    expect(pts.length).toBe(expected.length);
    for (const e of expected) expect(pts.some((p) => Math.abs(p[0] - e[0]!) < 1e-12 && Math.abs(p[1] - e[1]!) < 1e-12)).toBe(true);
  });

  it('grows as runs finish: a model with one ratio done is a lone point, not yet a curve', () => {
    const { results, labels } = suite([1]);
    // Baseline, MMoE at 0.2 only.
    const some = [0, 1].map((i) => results[i]);
    const d = tradeoffFrom(some, labels.slice(0, 2))!;
    expect(d.series).toHaveLength(1);
    expect(d.curves).toBe(0);
    expect(hasTradeoffCurve(some, labels)).toBe(false);
    expect(hasTradeoffCurve([...some, null, results[2]], [...labels.slice(0, 2), 'x', labels[2]])).toBe(true);
  });

  it('leaves out learned weightings, non-finite gains, and runs without a baseline', () => {
    const { results, labels } = suite([1]);
    const learned = { ...results[1], config: { ...results[1].config, train: { ...results[1].config.train, weighting: { kind: 'uncertainty' as const } } } } as ExperimentResults;
    const nan = { ...results[2], test: [{ task: 0, type: 'regression' as const, loss: NaN, mse: NaN, n: 1 }, results[2].test![1]] } as ExperimentResults;
    const d = tradeoffFrom([results[0], learned, nan, results[3]], [labels[0], labels[1], labels[2], labels[3]])!;
    expect(d.series).toHaveLength(1);
    expect(d.series[0].points.map((p) => p.ratio)).toEqual([0.5]); // the preset's order is 0.8, 0.2, 0.5: run 3 is MMoE at 0.5
    const noBase = tradeoffFrom(results.slice(1), labels.slice(1))!;
    expect(noBase.series).toHaveLength(0);
    expect(noBase.hasBaseline).toBe(false);
  });

  it('keeps the same model at two sizes apart and numbers them', () => {
    const { runs, results, labels } = suite([1], ['mmoe'] as never);
    const big = runs.map((r, i) =>
      r.config.model.type === 'mmoe' ? { ...results[i], config: { ...r.config, model: { ...r.config.model, expertHidden: [128] } } } : null,
    ).filter((x): x is ExperimentResults => !!x);
    const d = tradeoffFrom([...results, ...big], [...labels, ...big.map((b) => `MMoE ω_A=${weightOf(b)}`)])!;
    expect(d.series.map((s) => s.label)).toEqual(['MMoE (1)', 'MMoE (2)']);
    expect(d.curves).toBe(2);
  });

  it('strips the ratio and the seed from a label', () => {
    expect(stripRatio('Shared-Bottom ω_A=0.23 · seed 4')).toBe('Shared-Bottom');
    expect(stripRatio('MMoE')).toBe('MMoE');
  });

  it('draws one curve per model with finite points, text at 12 px or more', () => {
    const { results, labels } = suite([1, 2]);
    const d = tradeoffFrom(results, labels, 'test source')!;
    const dom = new JSDOM('<!doctype html><svg></svg>');
    const svg = dom.window.document.querySelector('svg')!;
    drawTradeoff(select(svg) as unknown as SvgRoot, d, { width: 420 });
    expect(svg.querySelectorAll('path.tradeoff-curve')).toHaveLength(2);
    const pts = [...svg.querySelectorAll('circle.tradeoff-point')];
    expect(pts).toHaveLength(6);
    for (const p of pts) for (const a of ['cx', 'cy']) expect(Number.isFinite(Number(p.getAttribute(a)))).toBe(true);
    expect(svg.querySelectorAll('.tradeoff-legend-item')).toHaveLength(2);
    expect(svg.textContent).toContain('1,234 params');
    expect(svg.textContent).toContain('at the origin: Single-task');
    for (const t of svg.querySelectorAll('text')) expect(Number(t.getAttribute('font-size') ?? 12), t.textContent ?? '').toBeGreaterThanOrEqual(12);
  });
});

function weightOf(r: ExperimentResults): string {
  const w = r.config.train.weighting.weights!;
  return (w[0] / (w[0] + w[1])).toFixed(2);
}
