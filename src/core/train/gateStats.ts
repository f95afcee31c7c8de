// Gate statistics for the expert-utilisation plot (SPEC §5): per gate, each
// expert's mean/std/variance weight over an evaluation set and the mean entropy;
// per level, the mean L1 distance between the task gates and their mean entropy.
// With the regional generator, per gate also how differently it routes the two
// regions (regionL1).
import type { GateInfo, GateStats, LevelGateStats } from '../types';

export interface GateWeights {
  info: GateInfo;
  /** [n, E] row-major softmax weights, E = info.experts.length. */
  weights: ArrayLike<number>;
}

const isTaskGate = (info: GateInfo) => info.id.startsWith('task:');
const expertKey = (module: string, index: number) => `${module}#${index}`;

/**
 * Σ_e |mean weight on e over the rows of region 0 − the same over region 1|:
 * 0 = the gate routes both regions alike, 2 = to disjoint experts. null without
 * regions or when a region has no row.
 */
function regionL1(g: GateWeights, n: number, regions?: ArrayLike<number>): number | null {
  if (!regions) return null;
  const E = g.info.experts.length;
  const sum = [new Float64Array(E), new Float64Array(E)];
  const count = [0, 0];
  for (let i = 0; i < n; i++) {
    const j = regions[i] === 1 ? 1 : 0;
    count[j]++;
    for (let e = 0; e < E; e++) sum[j][e] += g.weights[i * E + e];
  }
  if (count[0] === 0 || count[1] === 0) return null;
  let l1 = 0;
  for (let e = 0; e < E; e++) l1 += Math.abs(sum[0][e] / count[0] - sum[1][e] / count[1]);
  return l1;
}

function singleGateStats(g: GateWeights, n: number, regions?: ArrayLike<number>): GateStats {
  const E = g.info.experts.length;
  const w = g.weights;
  const mean = new Array<number>(E).fill(0);
  const variance = new Array<number>(E).fill(0);
  for (let i = 0; i < n; i++) for (let e = 0; e < E; e++) mean[e] += w[i * E + e];
  for (let e = 0; e < E; e++) mean[e] /= n;
  // Two passes: float32 weights near 1/E make the one-pass formula cancel badly.
  for (let i = 0; i < n; i++)
    for (let e = 0; e < E; e++) {
      const dlt = w[i * E + e] - mean[e];
      variance[e] += dlt * dlt;
    }
  for (let e = 0; e < E; e++) variance[e] /= n; // population variance
  let entropy = 0;
  for (let i = 0; i < n; i++)
    for (let e = 0; e < E; e++) {
      const p = w[i * E + e];
      if (p > 0) entropy -= p * Math.log(p); // 0·log 0 = 0
    }
  // Own experts: those of the gate's own task module (a task gate's id is its module's id).
  const own = isTaskGate(g.info) ? g.info.experts.flatMap((x, e) => (x.module === g.info.id ? [e] : [])) : [];
  const ownWeight = own.length > 0 ? own.reduce((acc, e) => acc + mean[e], 0) : null;
  const ownUniform = own.length > 0 ? own.length / E : null;
  return { ...g.info, mean, std: variance.map(Math.sqrt), variance, entropy: entropy / n, ownWeight, ownUniform, regionL1: regionL1(g, n, regions) };
}

/**
 * Mean over rows of Σ_e |p̃_a(e) − p̃_b(e)| over the experts both gates see,
 * each renormalised there to sum to 1; null when they share none.
 */
function sharedPairL1(a: GateWeights, b: GateWeights, n: number): number | null {
  const Ea = a.info.experts.length;
  const Eb = b.info.experts.length;
  const inB = new Map(b.info.experts.map((x, e) => [expertKey(x.module, x.index), e]));
  const cols = a.info.experts.flatMap((x, e) => {
    const eb = inB.get(expertKey(x.module, x.index));
    return eb === undefined ? [] : [[e, eb] as const];
  });
  if (cols.length === 0) return null;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let sa = 0;
    let sb = 0;
    for (const [ea, eb] of cols) {
      sa += a.weights[i * Ea + ea];
      sb += b.weights[i * Eb + eb];
    }
    // A row whose gate puts (numerically) no weight on the shared experts compares uniform shares.
    for (const [ea, eb] of cols) {
      const pa = sa > 0 ? a.weights[i * Ea + ea] / sa : 1 / cols.length;
      const pb = sb > 0 ? b.weights[i * Eb + eb] / sb : 1 / cols.length;
      total += Math.abs(pa - pb);
    }
  }
  return total / n;
}

/** Mean over rows of Σ_e |p_a(e) − p_b(e)| on the union of both gates' experts. */
function pairL1(a: GateWeights, b: GateWeights, n: number): number {
  const Ea = a.info.experts.length;
  const Eb = b.info.experts.length;
  // Union of experts by (module, index); an expert a gate cannot see weighs 0 there.
  const union = new Map<string, [number, number]>();
  a.info.experts.forEach((x, e) => union.set(expertKey(x.module, x.index), [e, -1]));
  b.info.experts.forEach((x, e) => {
    const k = expertKey(x.module, x.index);
    const cur = union.get(k);
    if (cur) cur[1] = e;
    else union.set(k, [-1, e]);
  });
  const cols = [...union.values()];
  let total = 0;
  for (let i = 0; i < n; i++)
    for (const [ea, eb] of cols) {
      const pa = ea >= 0 ? a.weights[i * Ea + ea] : 0;
      const pb = eb >= 0 ? b.weights[i * Eb + eb] : 0;
      total += Math.abs(pa - pb);
    }
  return total / n;
}

/**
 * Statistics of every gate over n evaluation rows, grouped by level (ascending,
 * gates in input order). `regions` (optional, [n] of 0/1: the regional
 * generator's region of each row, rᵀx ≤ 0 → 0) adds each gate's regionL1; without
 * it regionL1 is null. Throws on n < 1, a weights or regions array of the wrong
 * size, which would otherwise produce silent NaNs.
 */
export function computeGateStats(gates: GateWeights[], n: number, regions?: ArrayLike<number>): LevelGateStats[] {
  if (!(n >= 1) || !Number.isInteger(n)) throw new Error(`computeGateStats: need at least one row (n = ${n})`);
  if (regions && regions.length !== n) throw new Error(`computeGateStats: ${regions.length} regions for ${n} rows`);
  for (const g of gates) {
    const want = n * g.info.experts.length;
    if (g.info.experts.length === 0) throw new Error(`computeGateStats: gate ${g.info.id} at level ${g.info.level} has no expert`);
    if (g.weights.length !== want)
      throw new Error(`computeGateStats: gate ${g.info.id} at level ${g.info.level} has ${g.weights.length} weights, expected ${want}`);
  }
  const levels = [...new Set(gates.map((g) => g.info.level))].sort((a, b) => a - b);
  return levels.map((level) => {
    const here = gates.filter((g) => g.info.level === level);
    const stats = here.map((g) => singleGateStats(g, n, regions));
    const task = here.filter((g) => isTaskGate(g.info));
    let l1 = 0;
    let pairs = 0;
    let shared = 0;
    let sharedPairs = 0;
    for (let a = 0; a < task.length; a++)
      for (let b = a + 1; b < task.length; b++) {
        l1 += pairL1(task[a], task[b], n);
        pairs++;
        const s = sharedPairL1(task[a], task[b], n);
        if (s !== null) {
          shared += s;
          sharedPairs++;
        }
      }
    const taskEntropy = stats.filter(isTaskGate).map((s) => s.entropy);
    return {
      level,
      gates: stats,
      taskGateL1: pairs > 0 ? l1 / pairs : NaN,
      sharedTaskGateL1: sharedPairs > 0 ? shared / sharedPairs : null,
      meanTaskEntropy: taskEntropy.length > 0 ? taskEntropy.reduce((s, v) => s + v, 0) / taskEntropy.length : NaN,
    };
  });
}

/** The whisker of the utilisation plot: std by default, variance one click away. */
export function gateSpread(stats: GateStats, mode: 'std' | 'variance'): number[] {
  return mode === 'std' ? stats.std : stats.variance;
}
