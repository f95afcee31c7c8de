import { describe, expect, it } from 'vitest';
import { Rng } from '../data/rng';
import { averageRanks, fuse, fusionCsv, fusionProbabilities, fusionTable, spearman, taskMetricUnder, topK, type FusionInput } from './fusion';

describe('rank statistics', () => {
  it('average ranks share ties; Spearman is ±1 on monotone data and handles ties', () => {
    expect(Array.from(averageRanks([10, 30, 20, 20]))).toEqual([1, 4, 2.5, 2.5]);
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([1, 2, 3, 4], [Math.exp(1), Math.exp(2), 3 ** 9, 1e9])).toBeCloseTo(1, 12);
    // Known case with ties: Pearson of ranks [1,2.5,2.5,4] and [1,2,3,4].
    expect(spearman([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(4.5 / Math.sqrt(4.5 * 5), 12);
    expect(Number.isNaN(spearman([1, 1, 1], [1, 2, 3]))).toBe(true);
    // The mask drops rows.
    expect(spearman([1, 2, 3, 100], [1, 2, 3, -5], [1, 1, 1, 0])).toBeCloseTo(1, 12);
  });
});

describe('fusion', () => {
  const binary2 = (p1: number[], p2: number[], y1: number[], y2: number[]): FusionInput => ({ types: ['binary', 'binary'], scores: [p1, p2], labels: [y1, y2] });

  it('one non-zero weight ranks by that task alone: fused metric = own metric, any monotone transform of the others', () => {
    const r = new Rng(4);
    const n = 300;
    const p1 = Array.from({ length: n }, () => r.uniform());
    const reg = Array.from({ length: n }, () => r.normal());
    const y1 = p1.map((p) => (r.uniform() < p ? 1 : 0));
    const y2 = reg.map((v) => v + r.normal());
    const input: FusionInput = { types: ['binary', 'regression'], scores: [p1, reg], labels: [y1, y2] };
    const t = fusionTable(input, [0, 1]);
    expect(t.tasks[1].additive).toBeCloseTo(t.tasks[1].own, 12);
    expect(t.tasks[1].multiplicative).toBeCloseTo(t.tasks[1].own, 12);
    expect(t.tasks[1].own).toBeCloseTo(spearman(reg, y2), 12);
    // Regression p_k is a rank: a monotone transform of the predictions changes nothing.
    const t2 = fusionTable({ ...input, scores: [p1, reg.map((v) => Math.exp(3 * v) - 7)] }, [1, 1]);
    const t3 = fusionTable(input, [1, 1]);
    expect(t2.tasks.map((x) => x.multiplicative)).toEqual(t3.tasks.map((x) => x.multiplicative));
    expect(t2.topAdditive).toEqual(t3.topAdditive);
    // Scaling every weight by c > 0 keeps both rankings.
    const t4 = fusionTable(input, [2.5, 2.5]);
    expect(t4.topMultiplicative).toEqual(t3.topMultiplicative);
    expect(t4.tasks[0].additive).toBeCloseTo(t3.tasks[0].additive, 12);
  });

  it('known small case: AUC under a fused score', () => {
    // Own AUC of [0.1, 0.4, 0.35, 0.8] against [0, 0, 1, 1] is 0.75.
    const input = binary2([0.1, 0.4, 0.35, 0.8], [0.9, 0.1, 0.9, 0.5], [0, 0, 1, 1], [1, 0, 1, 0]);
    const t = fusionTable(input, [1, 0], 2);
    expect(t.tasks[0].own).toBeCloseTo(0.75, 12);
    expect(t.tasks[0].additive).toBeCloseTo(0.75, 12);
    // Equal weights: additive scores [1.0, 0.5, 1.25, 1.3] → task 1 AUC = 1, task 2: positives rows 0, 2.
    const e = fusionTable(input, [1, 1], 2);
    expect(e.tasks[0].additive).toBeCloseTo(1, 12);
    expect(e.tasks[1].additive).toBeCloseTo(taskMetricUnder([1.0, 0.5, 1.25, 1.3], input, 1), 12);
    // All weights 0: one constant score, AUC ½.
    expect(fusionTable(input, [0, 0]).tasks[0].additive).toBe(0.5);
  });

  it('additive and multiplicative fusion disagree on a lopsided row, and top-k counts what they share', () => {
    // Row 0 (0.99, 0.01): additive 1.00, product 0.0099; row 1 (0.55, 0.55): 1.10, 0.3025;
    // row 2 (0.9, 0.15): 1.05, 0.135; row 3 (0.98, 0.08): 1.06, 0.0784.
    const input = binary2([0.99, 0.55, 0.9, 0.98], [0.01, 0.55, 0.15, 0.08], [1, 0, 1, 0], [0, 1, 0, 1]);
    const t = fusionTable(input, [1, 1], 2);
    expect(t.topAdditive).toEqual([1, 3]);
    expect(t.topMultiplicative).toEqual([1, 2]);
    expect(t.shared).toBe(1);
    const p = fusionProbabilities(input);
    const mul = fuse(p, [1, 1], 'multiplicative');
    expect(Math.exp(mul[1])).toBeCloseTo(0.3025, 9);
    expect(topK([3, 1, 3, 2], 3)).toEqual([0, 2, 3]);
  });

  it('regression p_k are percentile ranks in (0, 1); binary ones are clamped probabilities', () => {
    const p = fusionProbabilities({ types: ['regression', 'binary'], scores: [[-5, 10, 0, 0], [0, 1, 0.5, 0.2]], labels: [[0, 0, 0, 0], [0, 1, 0, 1]] });
    expect(Array.from(p[0])).toEqual([0.125, 0.875, 0.5, 0.5]);
    expect(p[1][0]).toBeGreaterThan(0);
    expect(p[1][1]).toBeLessThan(1);
    expect(Number.isFinite(fuse(p, [1, 1], 'multiplicative')[0])).toBe(true);
  });

  it('chain data: a task is scored on its observed rows only', () => {
    const input: FusionInput = { types: ['binary', 'binary'], scores: [[0.9, 0.8, 0.1, 0.2], [0.1, 0.9, 0.5, 0.5]], labels: [[1, 1, 0, 0], [0, 1, 1, 0]], observed: [[1, 1, 1, 1], [1, 1, 0, 0]] };
    expect(fusionTable(input, [0, 1]).tasks[1].own).toBe(1);
  });

  it('CSV: one row per task with the header, parseable numbers and the shared top-k count', () => {
    const input = binary2([0.99, 0.55, 0.9, 0.98], [0.01, 0.55, 0.15, 0.08], [1, 0, 1, 0], [0, 1, 0, 1]);
    const csv = fusionCsv(fusionTable(input, [1, 0.5], 2), ['CTR', 'CVR, clicked']);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('task,name,type,metric,weight,own,additive,multiplicative,top_k,top_k_shared');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^2,"CVR, clicked",binary,auc,0\.5,/);
    expect(lines[1].split(',').slice(-2)).toEqual(['2', String(fusionTable(input, [1, 0.5], 2).shared)]);
  });
});
