// Part 2, the PLE paper's expert utilisation: per model and level, how far
// apart the task gates are (task-gate L1), their entropy, and per gate the
// mean weight on each expert, over seeds.
import type { ModelType } from '../../core/config/schema';
import type { GateStats, LevelGateStats } from '../../core/types';
import { notRun, type Finding } from './findings';
import type { PartSeedResult } from './runSeed';
import { effect, paired, pse } from './paired';
import { fraction, num, pm, stat, type Stat } from './stats';

/** A mean gate weight below this counts as "near zero" (15% of the uniform 1/3 of a 3-expert gate). */
export const NEAR_ZERO = 0.05;

export interface UtilLevelRow {
  variant: string;
  label: string;
  model: ModelType;
  /** model.gateBias of the variant (CGC runs with and without). */
  gateBias: boolean;
  level: number;
  /** Task-gate L1 per seed (null where the run did not finish). */
  l1PerSeed: { seed: number; value: number | null }[];
  l1: Stat;
  /** Task-gate L1 if every task gate were uniform over the experts it can see: the structural part of the distance. */
  uniformL1: number;
  /** Task-gate L1 over only the experts both gates see, renormalised (what training added; null where they share none). */
  sharedL1: Stat;
  entropy: Stat;
  /** ln(number of experts a task gate sees): the entropy of a uniform gate. */
  maxEntropy: number;
  /** Smallest mean weight any task gate gives any expert. */
  minWeight: Stat;
  /** Mean over task gates of the weight on the gate's own task's experts (CGC/PLE only). */
  ownWeight: Stat | null;
  /** The same if the gates were uniform. */
  ownUniform: number | null;
  /** Per (seed, task gate): own-expert weight above the uniform share? */
  ownCases: { seed: number; gate: string; own: number; uniform: number }[];
}

export interface UtilisationAnalysis {
  seeds: number[];
  /** Trainable parameters per variant. */
  params: Record<string, number | null>;
  rows: UtilLevelRow[];
  /** Per seed and variant, the finished run's gate statistics (for the figure). */
  gates: { seed: number; variant: string; label: string; model: ModelType; levels: LevelGateStats[] }[];
  findings: Finding[];
}

const taskGates = (l: LevelGateStats) => l.gates.filter((g) => g.id.startsWith('task:'));
/** The gates that route experts to a consumer: task gates, or ML-MMoE's per-expert gates at an inner level. */
const routingGates = (l: LevelGateStats) => l.gates.filter((g) => g.id.startsWith('task:') || g.id.startsWith('expert:'));

/** L1 between two uniform gates on the union of their experts, averaged over task-gate pairs. */
export function uniformTaskL1(l: LevelGateStats): number {
  const gs = taskGates(l);
  if (gs.length < 2) return NaN;
  const key = (e: { module: string; index: number }) => `${e.module}#${e.index}`;
  let total = 0;
  let pairs = 0;
  for (let i = 0; i < gs.length; i++)
    for (let j = i + 1; j < gs.length; j++) {
      const a = new Set(gs[i].experts.map(key));
      const b = new Set(gs[j].experts.map(key));
      let d = 0;
      for (const k of new Set([...a, ...b])) d += Math.abs((a.has(k) ? 1 / a.size : 0) - (b.has(k) ? 1 / b.size : 0));
      total += d;
      pairs++;
    }
  return total / pairs;
}

function ownShare(g: GateStats): { own: number; uniform: number } | null {
  const mine = g.id; // 'task:k'
  const idx = g.experts.map((e, i) => (e.module === mine ? i : -1)).filter((i) => i >= 0);
  if (idx.length === 0) return null;
  return { own: idx.reduce((s, i) => s + g.mean[i], 0), uniform: idx.length / g.experts.length };
}

const BASE = {
  U1: {
    id: 'U1',
    part: 'utilisation' as const,
    claim: 'The two task gates of MMoE (and ML-MMoE) are alike; those of CGC (and PLE) differ clearly.',
    source: 'PLE paper §5.3, expert utilisation (SPEC §5)',
    rule:
      'per seed, compare what training added to the task-gate L1 distance, i.e. the L1 minus the uniform L1 (the distance uniform gates already have by structure), ' +
      'of MMoE with CGC and of ML-MMoE with PLE, at every level where both have task gates (ML-MMoE has them only at its last level). ' +
      'Per comparison, the paired difference (CGC-style − MMoE-style) over seeds; shown if it is positive past 2 SE in every comparison; partly shown if in at least one; not shown otherwise. ' +
      'Only runs with a gate bias. The raw L1 is partly structural (in CGC each task gate sees a private expert, so it is ≈ 1 or more whatever is learnt): it is not compared.',
  },
  U2: {
    id: 'U2',
    part: 'utilisation' as const,
    claim: 'CGC/PLE task gates lean on their own task\'s experts (what makes them differ beyond the structure).',
    source: 'this report\'s check on U1 (PLE paper §5.3: task-specific experts are used by their own task)',
    rule:
      'per seed, the mean over a level\'s task gates of (weight on the gate\'s own task experts − the uniform share own / visible), for CGC and each PLE level, with a gate bias. ' +
      'shown if it is positive past 2 SE for CGC and every PLE level; partly shown if for at least one; not shown otherwise.',
  },
  U4: {
    id: 'U4',
    part: 'utilisation' as const,
    claim: 'Without a gate bias, CGC\'s task gates are pinned at 1/2 on their own expert, whatever they learn; a trained bias frees them.',
    source: 'SPEC §2, gate bias (measured): with x ~ N(0, I) symmetric, E[σ(a·x)] = 1/2 for a 2-expert gate',
    rule:
      'CGC without a gate bias: shown if every task gate\'s own-expert weight is within 0.02 of 1/2 in every seed (the test rows are only symmetric in distribution) ' +
      'AND the paired difference of the own-expert excess (with bias − without) is positive past 2 SE; partly shown if only the first holds; not shown otherwise.',
  },
  U3: {
    id: 'U3',
    part: 'utilisation' as const,
    claim: 'In MMoE (and ML-MMoE) no expert gets near-zero weight.',
    source: 'SPEC §5, expected pattern of the utilisation plot',
    rule: `for every MMoE and ML-MMoE level and seed: is the smallest mean weight any gate of the level (task gates; ML-MMoE's per-expert gates at an inner level) gives any expert at least ${NEAR_ZERO}? shown if in at least 80% of these cases; partly shown if in more than half; not shown otherwise.`,
  },
};

export function analyseUtilisation(units: PartSeedResult[]): UtilisationAnalysis {
  const seeds = [...new Set(units.map((u) => u.seed))].sort((a, b) => a - b);
  const gates = units.flatMap((u) =>
    u.runs.filter((r) => r.results.status === 'done').map((r) => ({ seed: u.seed, variant: r.variant, label: r.label, model: r.results.model, levels: r.results.gateStats })),
  );
  const variants: { variant: string; label: string; model: ModelType; gateBias: boolean }[] = [];
  for (const u of units)
    for (const r of u.runs)
      if (!variants.some((v) => v.variant === r.variant)) variants.push({ variant: r.variant, label: r.label, model: r.results.model, gateBias: r.results.config.model?.gateBias !== false });
  const rows: UtilLevelRow[] = [];
  for (const v of variants) {
    const mine = gates.filter((g) => g.variant === v.variant);
    const levels = Math.max(0, ...mine.map((g) => g.levels.length));
    for (let level = 0; level < levels; level++) {
      const at = (seed: number) => mine.find((g) => g.seed === seed)?.levels[level];
      const ref = mine.map((g) => g.levels[level]).find((l) => l !== undefined)!;
      const l1PerSeed = seeds.map((seed) => {
        const l = at(seed);
        return { seed, value: l && Number.isFinite(l.taskGateL1) ? l.taskGateL1 : null };
      });
      const ownCases: UtilLevelRow['ownCases'] = [];
      const owns: number[] = [];
      for (const seed of seeds) {
        const l = at(seed);
        if (!l) continue;
        const shares = taskGates(l).map((g) => ({ g, s: ownShare(g) }));
        for (const { g, s } of shares) if (s) ownCases.push({ seed, gate: g.label, own: s.own, uniform: s.uniform });
        const valid = shares.filter((x) => x.s).map((x) => x.s!.own);
        if (valid.length) owns.push(valid.reduce((a, b) => a + b, 0) / valid.length);
      }
      const firstTask = taskGates(ref)[0];
      const ownRef = firstTask ? ownShare(firstTask) : null;
      rows.push({
        ...v,
        level,
        l1PerSeed,
        l1: stat(l1PerSeed.map((s) => s.value)),
        uniformL1: uniformTaskL1(ref),
        sharedL1: stat(seeds.map((s) => at(s)?.sharedTaskGateL1 ?? null)),
        entropy: stat(seeds.map((s) => at(s)?.meanTaskEntropy)),
        maxEntropy: firstTask ? Math.log(firstTask.experts.length) : NaN,
        minWeight: stat(seeds.map((s) => {
          const l = at(s);
          const w = l ? routingGates(l).flatMap((g) => g.mean) : [];
          return w.length ? Math.min(...w) : null;
        })),
        ownWeight: ownRef ? stat(owns) : null,
        ownUniform: ownRef ? ownRef.uniform : null,
        ownCases,
      });
    }
  }
  const params: Record<string, number | null> = {};
  for (const u of units) for (const r of u.runs) params[r.variant] ??= r.results.params ?? null;
  const a: UtilisationAnalysis = { seeds, params, rows, gates, findings: [] };
  a.findings = [u1(a), u2(a), u3(a), u4(a)];
  return a;
}

/** Per seed: the L1 above its structural (uniform-gate) value, for one row. */
const excess = (r: UtilLevelRow) => (seed: number) => {
  const v = r.l1PerSeed.find((x) => x.seed === seed)?.value;
  return v === null || v === undefined || !Number.isFinite(r.uniformL1) ? null : v - r.uniformL1;
};

/** Per seed: the mean over the row's task gates of ownWeight − ownUniform. */
const ownExcess = (r: UtilLevelRow) => (seed: number) => {
  const c = r.ownCases.filter((x) => x.seed === seed);
  return c.length ? c.reduce((acc, x) => acc + x.own - x.uniform, 0) / c.length : null;
};

function u1(a: UtilisationAnalysis): Finding {
  const pairs: [ModelType, ModelType][] = [
    ['mmoe', 'cgc'],
    ['ml-mmoe', 'ple'],
  ];
  const biased = a.rows.filter((r) => r.gateBias);
  const comps: { text: string; e: ReturnType<typeof effect> }[] = [];
  for (const [m, c] of pairs) {
    for (const x of biased.filter((r) => r.model === m)) {
      const y = biased.find((r) => r.model === c && r.level === x.level);
      if (!y || !Number.isFinite(x.uniformL1) || !Number.isFinite(y.uniformL1)) continue;
      const d = paired(a.seeds, excess(y), excess(x));
      if (d.n === 0) continue;
      comps.push({
        text: `level ${x.level + 1}: ${y.label} ${pm(y.l1, 3)} (uniform ${num(y.uniformL1, 2)}) vs ${x.label} ${pm(x.l1, 3)} (uniform ${num(x.uniformL1, 2)}): added distance, ${y.label} − ${x.label} = ${pse(d, 3)}`,
        e: effect(d),
      });
    }
  }
  if (comps.length === 0) return notRun(BASE.U1);
  const k = comps.filter((c) => c.e === 'positive').length;
  const verdict = k === comps.length ? 'shown' : k > 0 ? 'partly shown' : 'not shown';
  return { ...BASE.U1, verdict, evidence: `task-gate L1 (mean ± std over seeds) and its structural value; ${comps.map((c) => c.text).join('; ')}.` };
}

function u2(a: UtilisationAnalysis): Finding {
  const rows = a.rows.filter((r) => (r.model === 'cgc' || r.model === 'ple') && r.gateBias && r.ownWeight);
  if (rows.length === 0) return notRun(BASE.U2);
  const res = rows.map((r) => ({ r, d: paired(a.seeds, ownExcess(r)) }));
  const k = res.filter((x) => effect(x.d) === 'positive').length;
  const verdict = k === res.length ? 'shown' : k > 0 ? 'partly shown' : 'not shown';
  const detail = res
    .map(({ r, d }) => `${r.label} level ${r.level + 1}: own-expert weight ${pm(r.ownWeight!, 3)} vs uniform ${num(r.ownUniform, 3)}, excess ${pse(d, 3)}`)
    .join('; ');
  return { ...BASE.U2, verdict, evidence: `${detail}.` };
}

function u4(a: UtilisationAnalysis): Finding {
  const free = a.rows.find((r) => r.model === 'cgc' && !r.gateBias);
  const biased = a.rows.find((r) => r.model === 'cgc' && r.gateBias);
  if (!free || !biased) return notRun(BASE.U4, 'no CGC run without a gate bias, or none with one');
  const cases = free.ownCases;
  const pinned = cases.filter((c) => Math.abs(c.own - 0.5) <= 0.02).length;
  const worst = cases.reduce((m, c) => Math.max(m, Math.abs(c.own - 0.5)), 0);
  const d = paired(a.seeds, ownExcess(biased), ownExcess(free));
  const all = cases.length > 0 && pinned === cases.length;
  const verdict = all && effect(d) === 'positive' ? 'shown' : all ? 'partly shown' : 'not shown';
  return {
    ...BASE.U4,
    verdict,
    evidence:
      `without a bias, own-expert weight within 0.02 of 1/2 in ${fraction(pinned, cases.length)} (gate, seed) cases (largest deviation ${num(worst, 4)}; ${pm(free.ownWeight ?? { mean: null, std: null, n: 0 }, 4)}); ` +
      `with a bias ${pm(biased.ownWeight ?? { mean: null, std: null, n: 0 }, 3)}; paired excess with − without ${pse(d, 3)}.`,
  };
}

function u3(a: UtilisationAnalysis): Finding {
  const rows = a.rows.filter((r) => r.model === 'mmoe' || r.model === 'ml-mmoe');
  const mins: number[] = [];
  for (const r of rows)
    for (const seed of a.seeds) {
      const l = a.gates.find((g) => g.variant === r.variant && g.seed === seed)?.levels[r.level];
      const w = l ? routingGates(l).flatMap((g) => g.mean) : [];
      if (w.length) mins.push(Math.min(...w));
    }
  if (mins.length === 0) return notRun(BASE.U3);
  const k = mins.filter((m) => m >= NEAR_ZERO).length;
  const verdict = k >= 0.8 * mins.length ? 'shown' : k > mins.length / 2 ? 'partly shown' : 'not shown';
  const detail = rows.map((r) => `${r.label} level ${r.level + 1}: smallest mean expert weight ${pm(r.minWeight, 3)}`).join('; ');
  return { ...BASE.U3, verdict, evidence: `no expert below ${NEAR_ZERO} in ${fraction(k, mins.length)} (level, seed) cases. ${detail}.` };
}
