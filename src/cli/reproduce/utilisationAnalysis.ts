// Part 2, the PLE paper's expert utilisation: per model and level, how far
// apart the task gates are (task-gate L1), their entropy, and per gate the
// mean weight on each expert, over seeds.
import type { ModelType } from '../../core/config/schema';
import type { GateStats, LevelGateStats } from '../../core/types';
import { notRun, type Finding } from './findings';
import type { PartSeedResult } from './runSeed';
import { fraction, num, pm, stat, type Stat } from './stats';

/** A mean gate weight below this counts as "near zero" (15% of the uniform 1/3 of a 3-expert gate). */
export const NEAR_ZERO = 0.05;

export interface UtilLevelRow {
  variant: string;
  label: string;
  model: ModelType;
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
      'shown if every comparison has the MMoE-style model lower on at least 80% of seeds; partly shown if at least one comparison does on more than half of the seeds; not shown otherwise. ' +
      'The raw L1 is partly structural (in CGC each task gate sees a private expert, so it is ≈ 1 or more whatever is learnt): it is not compared.',
  },
  U2: {
    id: 'U2',
    part: 'utilisation' as const,
    claim: 'CGC/PLE task gates lean on their own task\'s experts (what makes them differ beyond the structure).',
    source: 'this report\'s check on U1 (PLE paper §5.3: task-specific experts are used by their own task)',
    rule:
      'for every CGC and PLE task gate, level and seed: is the mean weight on the gate\'s own task experts above the uniform share (own experts / experts the gate sees)? ' +
      'shown if in at least 80% of these cases; partly shown if in more than half; not shown otherwise.',
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
  const variants: { variant: string; label: string; model: ModelType }[] = [];
  for (const u of units) for (const r of u.runs) if (!variants.some((v) => v.variant === r.variant)) variants.push({ variant: r.variant, label: r.label, model: r.results.model });
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
  const a: UtilisationAnalysis = { seeds, rows, gates, findings: [] };
  a.findings = [u1(a), u2(a), u3(a)];
  return a;
}

function u1(a: UtilisationAnalysis): Finding {
  const pairs: [ModelType, ModelType][] = [
    ['mmoe', 'cgc'],
    ['ml-mmoe', 'ple'],
  ];
  const comps: { text: string; k: number; n: number }[] = [];
  for (const [m, c] of pairs) {
    const rm = a.rows.filter((r) => r.model === m);
    const rc = a.rows.filter((r) => r.model === c);
    for (const x of rm) {
      const y = rc.find((r) => r.level === x.level);
      if (!y) continue;
      let k = 0;
      let n = 0;
      for (const s of x.l1PerSeed) {
        const o = y.l1PerSeed.find((t) => t.seed === s.seed)?.value;
        if (s.value === null || o === null || o === undefined || !Number.isFinite(x.uniformL1) || !Number.isFinite(y.uniformL1)) continue;
        n++;
        if (s.value - x.uniformL1 < o - y.uniformL1) k++;
      }
      if (n > 0)
        comps.push({
          text: `level ${x.level + 1}: ${x.label} ${pm(x.l1, 3)} (uniform ${num(x.uniformL1, 2)}) vs ${y.label} ${pm(y.l1, 3)} (uniform ${num(y.uniformL1, 2)}): the MMoE-style gates added less on ${fraction(k, n)} seeds`,
          k,
          n,
        });
    }
  }
  if (comps.length === 0) return notRun(BASE.U1);
  const verdict = comps.every((c) => c.k >= 0.8 * c.n) ? 'shown' : comps.some((c) => c.k > c.n / 2) ? 'partly shown' : 'not shown';
  return { ...BASE.U1, verdict, evidence: `task-gate L1 (mean ± std over seeds) and its structural value: ${comps.map((c) => c.text).join('; ')}.` };
}

function u2(a: UtilisationAnalysis): Finding {
  const rows = a.rows.filter((r) => (r.model === 'cgc' || r.model === 'ple') && r.ownWeight);
  const cases = rows.flatMap((r) => r.ownCases);
  if (cases.length === 0) return notRun(BASE.U2);
  const k = cases.filter((c) => c.own > c.uniform).length;
  const verdict = k >= 0.8 * cases.length ? 'shown' : k > cases.length / 2 ? 'partly shown' : 'not shown';
  const detail = rows.map((r) => `${r.label} level ${r.level + 1}: own-expert weight ${pm(r.ownWeight!, 3)} vs uniform ${num(r.ownUniform, 3)}`).join('; ');
  return { ...BASE.U2, verdict, evidence: `above the uniform share in ${fraction(k, cases.length)} (gate, level, seed) cases. ${detail}.` };
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
