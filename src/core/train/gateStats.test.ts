import { describe, expect, it } from 'vitest';
import type { ExpertRef, GateInfo } from '../types';
import { computeGateStats, gateSpread } from './gateStats';

const ex = (module: string, index: number): ExpertRef => ({ module, index, label: `${module}·E${index}` });
const gate = (level: number, id: string, experts: ExpertRef[], rows: number[][]) => ({
  info: { level, id, label: id, experts } satisfies GateInfo,
  weights: Float32Array.from(rows.flat()),
});
const H = (p: number[]) => -p.reduce((s, v) => s + (v > 0 ? v * Math.log(v) : 0), 0);

describe('computeGateStats', () => {
  // Level 0 of a 2-task CGC-like model, n = 2 rows. Task gates see different experts:
  // task 0 → [T0·E0, S·E0], task 1 → [T1·E0, S·E0]; the shared gate sees all three.
  const t0 = gate(0, 'task:0', [ex('task:0', 0), ex('shared', 0)], [[0.5, 0.5], [1, 0]]);
  const t1 = gate(0, 'task:1', [ex('task:1', 0), ex('shared', 0)], [[0.25, 0.75], [0.5, 0.5]]);
  const sh = gate(0, 'shared', [ex('task:0', 0), ex('task:1', 0), ex('shared', 0)], [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]);
  // Level 1 (given first, to check the ordering): a single task gate.
  const l1 = gate(1, 'task:0', [ex('shared', 0), ex('shared', 1)], [[0.9, 0.1], [0.6, 0.4]]);
  const stats = computeGateStats([l1, t0, t1, sh], 2);

  it('own weight vs the uniform share, per task gate; null for gates with no own expert', () => {
    const [g0, g1, gs] = stats[0].gates;
    expect(g0.ownWeight).toBeCloseTo(0.75, 7); // T0·E0 over rows: (0.5 + 1) / 2
    expect(g0.ownUniform).toBe(0.5);
    expect(g1.ownWeight).toBeCloseTo(0.375, 7);
    expect(gs.ownWeight).toBeNull(); // the shared gate has no task
    expect(stats[1].gates[0].ownWeight).toBeNull(); // a task gate with only shared experts (MMoE-like)
  });

  it('shared-expert L1: only the experts both task gates see, renormalised; null where they share none', () => {
    // t0 and t1 share only S·E0: renormalised over one expert both are 1 → distance 0, whatever the weights.
    expect(stats[0].sharedTaskGateL1).toBe(0);
    // …while the union L1 is large by construction (private experts count as zero for the other gate).
    expect(stats[0].taskGateL1).toBeGreaterThan(0.4);
    const a = gate(0, 'task:0', [ex('task:0', 0), ex('shared', 0), ex('shared', 1)], [[0.5, 0.4, 0.1]]);
    const b = gate(0, 'task:1', [ex('task:1', 0), ex('shared', 0), ex('shared', 1)], [[0.0, 0.25, 0.75]]);
    // Shared part: a → [0.8, 0.2], b → [0.25, 0.75]: L1 = 0.55 + 0.55.
    expect(computeGateStats([a, b], 1)[0].sharedTaskGateL1).toBeCloseTo(1.1, 6);
    const c = gate(0, 'task:0', [ex('task:0', 0)], [[1]]);
    const d = gate(0, 'task:1', [ex('task:1', 0)], [[1]]);
    expect(computeGateStats([c, d], 1)[0].sharedTaskGateL1).toBeNull();
  });

  it('groups by level in ascending order, gates in input order', () => {
    expect(stats.map((s) => s.level)).toEqual([0, 1]);
    expect(stats[0].gates.map((g) => g.id)).toEqual(['task:0', 'task:1', 'shared']);
    expect(stats[0].gates[0].experts).toEqual(t0.info.experts);
  });

  it('mean, population std and variance per expert (hand-computed)', () => {
    const [g0, g1, gs] = stats[0].gates;
    const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 7));
    close(g0.mean, [0.75, 0.25]);
    close(g0.variance, [0.0625, 0.0625]);
    close(g0.std, [0.25, 0.25]);
    close(g1.mean, [0.375, 0.625]);
    close(g1.variance, [0.015625, 0.015625]);
    close(g1.std, [0.125, 0.125]);
    close(gs.mean, [0.15, 0.2, 0.65]);
    close(gs.variance, [0.0025, 0.01, 0.0225]);
    close(gs.std, [0.05, 0.1, 0.15]);
    expect(gateSpread(g1, 'std')).toBe(g1.std);
    expect(gateSpread(g1, 'variance')).toBe(g1.variance);
  });

  it('entropy is the mean per-row entropy in nats, 0·log 0 = 0', () => {
    const [g0, g1, gs] = stats[0].gates;
    expect(g0.entropy).toBeCloseTo((Math.LN2 + 0) / 2, 7);
    expect(g1.entropy).toBeCloseTo((H([0.25, 0.75]) + Math.LN2) / 2, 7);
    expect(gs.entropy).toBeCloseTo((H([0.2, 0.3, 0.5]) + H([0.1, 0.1, 0.8])) / 2, 6);
    expect(stats[0].meanTaskEntropy).toBeCloseTo((g0.entropy + g1.entropy) / 2, 7);
    expect(stats[1].meanTaskEntropy).toBeCloseTo((H([0.9, 0.1]) + H([0.6, 0.4])) / 2, 6);
  });

  it('task-gate L1 aligns experts by (module, index) on the union', () => {
    // Union [T0·E0, S·E0, T1·E0]: row 0 |.5−0|+|.5−.75|+|0−.25| = 1; row 1 |1−0|+|0−.5|+|0−.5| = 2.
    // (Aligning by position instead would give 0.75.) The shared gate is not a task gate.
    expect(stats[0].taskGateL1).toBeCloseTo(1.5, 7);
    expect(stats[1].taskGateL1).toBeNaN(); // one task gate
  });

  it('L1 is the mean over all task-gate pairs', () => {
    const E = [ex('shared', 0), ex('shared', 1)];
    const s = computeGateStats(
      [gate(0, 'task:0', E, [[1, 0]]), gate(0, 'task:1', E, [[0, 1]]), gate(0, 'task:2', E, [[0.5, 0.5]]), gate(0, 'omoe', E, [[0, 1]])],
      1,
    );
    expect(s[0].taskGateL1).toBeCloseTo((2 + 1 + 1) / 3, 12);
    expect(s[0].meanTaskEntropy).toBeCloseTo(Math.LN2 / 3, 12);
  });

  it('a level without task gates has NaN L1 and entropy; bad input throws', () => {
    const E = [ex('shared', 0), ex('shared', 1)];
    const s = computeGateStats([gate(0, 'omoe', E, [[0.3, 0.7]])], 1);
    expect(s[0].taskGateL1).toBeNaN();
    expect(s[0].meanTaskEntropy).toBeNaN();
    expect(() => computeGateStats([gate(0, 'task:0', E, [[0.3, 0.7]])], 2)).toThrow(/expected 4/);
    expect(() => computeGateStats([gate(0, 'task:0', E, [])], 0)).toThrow(/at least one row/);
  });

  it('regionL1: L1 between the mean weights over the rows of each region; null without regions or with an empty region', () => {
    const E = [ex('shared', 0), ex('shared', 1), ex('shared', 2)];
    // Rows 0, 2 in region 0 (rᵀx ≤ 0), rows 1, 3 in region 1.
    const a = gate(0, 'task:0', E, [[0.8, 0.2, 0], [0.1, 0.1, 0.8], [0.6, 0.4, 0], [0.3, 0.1, 0.6]]);
    const b = gate(0, 'task:1', E, [[0.5, 0.25, 0.25], [0.5, 0.25, 0.25], [0.2, 0.5, 0.3], [0.2, 0.5, 0.3]]);
    const s = computeGateStats([a, b], 4, Uint8Array.from([0, 1, 0, 1]));
    const [ga, gb] = s[0].gates;
    // a: region 0 mean [0.7, 0.3, 0], region 1 mean [0.2, 0.1, 0.7] → 0.5 + 0.2 + 0.7.
    expect(ga.regionL1).toBeCloseTo(1.4, 6);
    // b gives the same distribution to both regions' rows pairwise → 0.
    expect(gb.regionL1).toBeCloseTo(0, 7);
    // Disjoint routing is 2.
    const c = gate(0, 'task:0', E, [[1, 0, 0], [0, 0, 1]]);
    expect(computeGateStats([c], 2, [0, 1])[0].gates[0].regionL1).toBeCloseTo(2, 12);
    // No regions (global mode) or one empty region: null. Other statistics are unchanged.
    expect(computeGateStats([a, b], 4)[0].gates[0].regionL1).toBeNull();
    expect(computeGateStats([a, b], 4, [1, 1, 1, 1])[0].gates[0].regionL1).toBeNull();
    expect(computeGateStats([a, b], 4)[0].gates[0].mean).toEqual(ga.mean);
    expect(() => computeGateStats([a, b], 4, [0, 1])).toThrow(/2 regions for 4 rows/);
  });
});
