// Part 3, the PLE paper's seesaw: every model's MTL gain on task A
// (regression) and task B (binary) against the single-task run of the same
// seed, over seeds.
import type { ModelType } from '../../core/config/schema';
import type { ExperimentResults } from '../../core/types';
import { notRun, type Finding } from './findings';
import type { PartSeedResult } from './runSeed';
import { effect, paired, pse } from './paired';
import { fraction, pm, stat, type Stat } from './stats';

export type Quadrant = 'gains on both' | 'seesaw' | 'loses on both' | 'on an axis' | 'n/a';

export interface SeesawRow {
  variant: string;
  label: string;
  model: ModelType;
  /** Headline test metric per task (MSE or AUC) over seeds. */
  metric: { name: 'mse' | 'auc'; stat: Stat }[];
  /** MTL gain per task over seeds (single-task: exactly 0). */
  gain: Stat[];
  perSeed: { seed: number; gain: [number, number] | null; result: ExperimentResults }[];
  /** Quadrant of the mean point. */
  quadrant: Quadrant;
  /** Seeds whose own point is in the seesaw quadrants. */
  seesawSeeds: number;
}

export interface SeesawAnalysis {
  seeds: number[];
  taskNames: string[];
  taskTypes: ('regression' | 'binary')[];
  rows: SeesawRow[];
  findings: Finding[];
}

export function quadrant(a: number | null, b: number | null): Quadrant {
  if (a === null || b === null) return 'n/a';
  if (a === 0 || b === 0) return 'on an axis';
  if (a > 0 && b > 0) return 'gains on both';
  if (a < 0 && b < 0) return 'loses on both';
  return 'seesaw';
}

const BASE = {
  W1: {
    id: 'W1',
    part: 'seesaw' as const,
    claim: 'The seesaw: on weakly correlated tasks most MTL models gain on one task and lose on the other.',
    source: 'PLE paper, VCR/VTR experiment (SPEC §5)',
    rule:
      'a model seesaws when one MTL gain is positive past 2 SE and the other negative past 2 SE (gains paired by seed with the single-task run). ' +
      'shown if more than half of the MTL models seesaw; partly shown if at least a quarter do; not shown otherwise.',
  },
  W2: {
    id: 'W2',
    part: 'seesaw' as const,
    claim: 'CGC and PLE reach the positive-positive quadrant (gain on both tasks).',
    source: 'PLE paper, VCR/VTR experiment (SPEC §5)',
    rule: 'shown if CGC and PLE both gain past 2 SE on both tasks; partly shown if one of them does; not shown otherwise.',
  },
  W3: {
    id: 'W3',
    part: 'seesaw' as const,
    claim: 'PLE does better than MMoE on both tasks.',
    source: 'PLE paper, main comparison with MMoE',
    rule: "per seed, PLE's gain − MMoE's gain on each task (paired). shown if positive past 2 SE on both tasks; partly shown if on one; not shown otherwise.",
  },
  W4: {
    id: 'W4',
    part: 'seesaw' as const,
    claim: 'With an unscaled regression target, Shared-Bottom seesaws: it gains on one task and loses on the other.',
    source: 'issue "Presets whose claims are measured": loss-scale imbalance (SPEC §1, standardised targets)',
    rule: 'shown if Shared-Bottom (fixed equal weights) has one gain positive past 2 SE and the other negative past 2 SE; partly shown if one gain is negative past 2 SE; not shown otherwise.',
  },
  W6: {
    id: 'W6',
    part: 'seesaw' as const,
    claim: 'The loss-scale story: the task with the larger loss (the unscaled regression) wins the shared bottom, and the binary task pays.',
    source: 'issue "Presets whose claims are measured": loss-scale imbalance',
    rule: "shown if Shared-Bottom's gain is positive past 2 SE on the regression task and negative past 2 SE on the binary task; partly shown if only the binary task's gain is negative past 2 SE; not shown otherwise (including a seesaw the other way round).",
  },
  W5: {
    id: 'W5',
    part: 'seesaw' as const,
    claim: "Uncertainty weighting (Kendall et al.) rebalances the losses and removes Shared-Bottom's loss on the task that paid.",
    source: 'issue "Presets whose claims are measured": the cure for loss-scale imbalance',
    rule:
      "on the task where Shared-Bottom's mean gain is lower: shown if (gain with uncertainty weighting − gain without), paired by seed, is positive past 2 SE and the weighted model's gain there is not negative past 2 SE; " +
      'partly shown if only the paired improvement holds; not shown otherwise.',
  },
};

const finite = (v: number | undefined | null): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function analyseSeesaw(units: PartSeedResult[]): SeesawAnalysis {
  const seeds = [...new Set(units.map((u) => u.seed))].sort((a, b) => a - b);
  const first = units.flatMap((u) => u.runs)[0]?.results;
  const taskNames = first ? first.config.data.tasks.map((t, k) => t.name ?? `task ${k + 1}`) : [];
  const taskTypes = first ? first.config.data.tasks.map((t) => t.type) : [];
  const variants: { variant: string; label: string; model: ModelType }[] = [];
  for (const u of units) for (const r of u.runs) if (!variants.some((v) => v.variant === r.variant)) variants.push({ variant: r.variant, label: r.label, model: r.results.model });
  const rows: SeesawRow[] = variants.map((v) => {
    const perSeed = units.flatMap((u) =>
      u.runs
        .filter((r) => r.variant === v.variant)
        .map((r) => {
          const g = r.results.status === 'done' ? r.results.mtlGain : undefined;
          const a = finite(g?.[0]);
          const b = finite(g?.[1]);
          return { seed: u.seed, gain: a !== null && b !== null ? ([a, b] as [number, number]) : null, result: r.results };
        }),
    );
    const gain = [0, 1].map((k) => stat(perSeed.map((s) => s.gain?.[k])));
    const metric = taskTypes.map((type, k) => {
      const name: 'mse' | 'auc' = type === 'binary' ? 'auc' : 'mse';
      return { name, stat: stat(perSeed.map((s) => (s.result.status === 'done' ? finite(s.result.test?.[k]?.[name]) : null))) };
    });
    return {
      ...v,
      metric,
      gain,
      perSeed,
      quadrant: v.model === 'single-task' ? 'on an axis' : quadrant(gain[0].mean, gain[1].mean),
      seesawSeeds: perSeed.filter((s) => s.gain && quadrant(s.gain[0], s.gain[1]) === 'seesaw').length,
    };
  });
  const a: SeesawAnalysis = { seeds, taskNames, taskTypes, rows, findings: [] };
  const hasBaseline = rows.some((r) => r.model === 'single-task' && r.perSeed.some((s) => s.result.status === 'done'));
  a.findings = hasBaseline && rows.some((r) => r.model !== 'single-task' && r.gain[0].n > 0) ? [w1(a), w2(a), w3(a), w4(a), w5(a), w6(a)] : Object.values(BASE).map((b) => notRun(b));
  return a;
}

const gainText = (r: SeesawRow) => `${r.label} (${pm(r.gain[0], 4, true)}, ${pm(r.gain[1], 4, true)})`;

/** Paired (by seed) MTL gain of a row on task k: the gain is already a per-seed difference with the single-task run. */
const gainOn = (a: SeesawAnalysis, r: SeesawRow, k: number) => paired(a.seeds, (seed) => r.perSeed.find((s) => s.seed === seed)?.gain?.[k] ?? null);
const seesaws = (a: SeesawAnalysis, r: SeesawRow) => {
  const e = [effect(gainOn(a, r, 0)), effect(gainOn(a, r, 1))];
  return (e[0] === 'positive' && e[1] === 'negative') || (e[0] === 'negative' && e[1] === 'positive');
};
const gainsText = (a: SeesawAnalysis, r: SeesawRow) => `${r.label} (${pse(gainOn(a, r, 0))}, ${pse(gainOn(a, r, 1))})`;

function w1(a: SeesawAnalysis): Finding {
  const mtl = a.rows.filter((r) => r.model !== 'single-task' && r.gain[0].n > 1 && r.gain[1].n > 1);
  const see = mtl.filter((r) => seesaws(a, r));
  const verdict = see.length > mtl.length / 2 ? 'shown' : see.length >= mtl.length / 4 && see.length > 0 ? 'partly shown' : 'not shown';
  return {
    ...BASE.W1,
    verdict,
    evidence: `${fraction(see.length, mtl.length)} MTL models seesaw past 2 SE (${see.map((r) => r.label).join(', ') || 'none'}). Gains (${a.taskNames.join(', ')}): ${mtl.map((r) => gainsText(a, r)).join('; ')}.`,
  };
}

function w2(a: SeesawAnalysis): Finding {
  const rows = (['cgc', 'ple'] as ModelType[]).map((m) => a.rows.find((r) => r.model === m)).filter((r): r is SeesawRow => !!r);
  if (rows.length === 0) return notRun(BASE.W2, 'no CGC or PLE run in this seesaw');
  const both = rows.filter((r) => effect(gainOn(a, r, 0)) === 'positive' && effect(gainOn(a, r, 1)) === 'positive');
  const verdict = rows.length === 2 && both.length === 2 ? 'shown' : both.length >= 1 ? 'partly shown' : 'not shown';
  return { ...BASE.W2, verdict, evidence: `gains (${a.taskNames.join(', ')}): ${rows.map((r) => gainsText(a, r)).join('; ')}. Past 2 SE on both: ${both.map((r) => r.label).join(', ') || 'none'}.` };
}

function w3(a: SeesawAnalysis): Finding {
  const ple = a.rows.find((r) => r.model === 'ple');
  const mmoe = a.rows.find((r) => r.model === 'mmoe');
  if (!ple || !mmoe) return notRun(BASE.W3, 'the seesaw has no PLE or no MMoE run');
  const at = (r: SeesawRow, k: number) => (seed: number) => r.perSeed.find((s) => s.seed === seed)?.gain?.[k] ?? null;
  const diffs = [0, 1].map((k) => paired(a.seeds, at(ple, k), at(mmoe, k)));
  const k = diffs.filter((d) => effect(d) === 'positive').length;
  const verdict = k === 2 ? 'shown' : k === 1 ? 'partly shown' : 'not shown';
  return { ...BASE.W3, verdict, evidence: `PLE − MMoE gain, paired by seed: ${diffs.map((d, i) => `${a.taskNames[i]} ${pse(d)}`).join('; ')}. ${gainText(ple)}; ${gainText(mmoe)}.` };
}

const isUncertainty = (r: SeesawRow) => r.perSeed[0]?.result.config.train?.weighting?.kind === 'uncertainty';

function w4(a: SeesawAnalysis): Finding {
  const sb = a.rows.find((r) => r.model === 'shared-bottom' && !isUncertainty(r));
  if (!sb) return notRun(BASE.W4, 'no Shared-Bottom run');
  const g = [gainOn(a, sb, 0), gainOn(a, sb, 1)];
  const e = g.map(effect);
  const verdict = seesaws(a, sb) ? 'shown' : e.includes('negative') ? 'partly shown' : 'not shown';
  const raw = sb.perSeed[0]?.result.config.data?.standardizeTargets === false;
  return { ...BASE.W4, verdict, evidence: `${raw ? 'raw' : 'standardised'} regression target. Shared-Bottom gains: ${a.taskNames.map((n, k) => `${n} ${pse(g[k])}`).join('; ')}.` };
}

function w6(a: SeesawAnalysis): Finding {
  const sb = a.rows.find((r) => r.model === 'shared-bottom' && !isUncertainty(r));
  const reg = a.taskTypes.indexOf('regression');
  const bin = a.taskTypes.indexOf('binary');
  if (!sb || reg < 0 || bin < 0) return notRun(BASE.W6, 'no Shared-Bottom run, or not one regression and one binary task');
  const [er, eb] = [effect(gainOn(a, sb, reg)), effect(gainOn(a, sb, bin))];
  const verdict = er === 'positive' && eb === 'negative' ? 'shown' : eb === 'negative' ? 'partly shown' : 'not shown';
  const flipped = er === 'negative' && eb === 'positive';
  return {
    ...BASE.W6,
    verdict,
    evidence: `Shared-Bottom gains: ${a.taskNames[reg]} ${pse(gainOn(a, sb, reg))}; ${a.taskNames[bin]} ${pse(gainOn(a, sb, bin))}.${flipped ? ' It seesaws the other way round: the regression task, the one with the larger loss, is the one that pays.' : ''}`,
  };
}

function w5(a: SeesawAnalysis): Finding {
  const sb = a.rows.find((r) => r.model === 'shared-bottom' && !isUncertainty(r));
  const uw = a.rows.find((r) => r.model === 'shared-bottom' && isUncertainty(r));
  if (!sb || !uw) return notRun(BASE.W5, 'no Shared-Bottom run with and without uncertainty weighting');
  const k = (sb.gain[0].mean ?? 0) <= (sb.gain[1].mean ?? 0) ? 0 : 1;
  const at = (r: SeesawRow) => (seed: number) => r.perSeed.find((s) => s.seed === seed)?.gain?.[k] ?? null;
  const d = paired(a.seeds, at(uw), at(sb));
  const after = gainOn(a, uw, k);
  const improved = effect(d) === 'positive';
  const verdict = improved && effect(after) !== 'negative' ? 'shown' : improved ? 'partly shown' : 'not shown';
  return {
    ...BASE.W5,
    verdict,
    evidence: `task ${a.taskNames[k]}: gain without weighting ${pse(gainOn(a, sb, k))}, with uncertainty weighting ${pse(after)}, paired improvement ${pse(d)}. Other task: ${pse(gainOn(a, sb, 1 - k))} → ${pse(gainOn(a, uw, 1 - k))}.`,
  };
}
