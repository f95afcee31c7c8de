// Part 3, the PLE paper's seesaw: every model's MTL gain on task A
// (regression) and task B (binary) against the single-task run of the same
// seed, over seeds.
import type { ModelType } from '../../core/config/schema';
import type { ExperimentResults } from '../../core/types';
import { notRun, type Finding } from './findings';
import type { PartSeedResult } from './runSeed';
import { clearlyPositive, fraction, num, pm, se, signed, stat, type Stat } from './stats';

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
      'place each MTL model (every model but single-task) at its mean gain over seeds. ' +
      'shown if more than half of them lie in a seesaw quadrant (gains of opposite sign); partly shown if at least a quarter do; not shown otherwise.',
  },
  W2: {
    id: 'W2',
    part: 'seesaw' as const,
    claim: 'CGC and PLE reach the positive-positive quadrant (gain on both tasks).',
    source: 'PLE paper, VCR/VTR experiment (SPEC §5)',
    rule:
      'shown if CGC and PLE both have mean gains above zero by more than one standard error on both tasks; ' +
      'partly shown if at least one of them has positive mean gains on both tasks; not shown otherwise.',
  },
  W3: {
    id: 'W3',
    part: 'seesaw' as const,
    claim: 'PLE does better than MMoE on both tasks.',
    source: 'PLE paper, main comparison with MMoE',
    rule:
      'per seed, PLE\'s gain − MMoE\'s gain on each task (paired). shown if the mean difference is positive by more than one standard error on both tasks; ' +
      'partly shown if it is positive on at least one task; not shown otherwise.',
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
  a.findings = hasBaseline && rows.some((r) => r.model !== 'single-task' && r.gain[0].n > 0) ? [w1(a), w2(a), w3(a)] : [notRun(BASE.W1), notRun(BASE.W2), notRun(BASE.W3)];
  return a;
}

const gainText = (r: SeesawRow) => `${r.label} (${pm(r.gain[0], 4, true)}, ${pm(r.gain[1], 4, true)})`;

function w1(a: SeesawAnalysis): Finding {
  const mtl = a.rows.filter((r) => r.model !== 'single-task' && r.gain[0].n > 0 && r.gain[1].n > 0);
  const see = mtl.filter((r) => r.quadrant === 'seesaw');
  const verdict = see.length > mtl.length / 2 ? 'shown' : see.length >= mtl.length / 4 ? 'partly shown' : 'not shown';
  const byQ = (q: Quadrant) => mtl.filter((r) => r.quadrant === q).map((r) => r.label).join(', ') || 'none';
  return {
    ...BASE.W1,
    verdict,
    evidence:
      `${fraction(see.length, mtl.length)} MTL models in a seesaw quadrant. Gains on both: ${byQ('gains on both')}. Seesaw: ${byQ('seesaw')}. Loses on both: ${byQ('loses on both')}. ` +
      `Per-seed points in a seesaw quadrant: ${mtl.map((r) => `${r.label} ${fraction(r.seesawSeeds, r.perSeed.length)}`).join(', ')}.`,
  };
}

function w2(a: SeesawAnalysis): Finding {
  const rows = (['cgc', 'ple'] as ModelType[]).map((m) => a.rows.find((r) => r.model === m)).filter((r): r is SeesawRow => !!r);
  if (rows.length === 0) return notRun(BASE.W2, 'no CGC or PLE run in this seesaw');
  const clear = rows.filter((r) => clearlyPositive(r.gain[0]) && clearlyPositive(r.gain[1]));
  const both = rows.filter((r) => (r.gain[0].mean ?? 0) > 0 && (r.gain[1].mean ?? 0) > 0);
  const verdict = rows.length === 2 && clear.length === 2 ? 'shown' : both.length >= 1 ? 'partly shown' : 'not shown';
  return {
    ...BASE.W2,
    verdict,
    evidence:
      `mean gain (${a.taskNames.join(', ')}) ± std over seeds: ${rows.map((r) => `${gainText(r)}, SE ${num(se(r.gain[0]))} / ${num(se(r.gain[1]))}`).join('; ')}. ` +
      `Positive on both: ${both.map((r) => r.label).join(', ') || 'none'}; beyond one SE on both: ${clear.map((r) => r.label).join(', ') || 'none'}.`,
  };
}

function w3(a: SeesawAnalysis): Finding {
  const ple = a.rows.find((r) => r.model === 'ple');
  const mmoe = a.rows.find((r) => r.model === 'mmoe');
  if (!ple || !mmoe) return notRun(BASE.W3, 'the seesaw has no PLE or no MMoE run');
  const diffs = [0, 1].map((k) =>
    stat(
      ple.perSeed.map((s) => {
        const o = mmoe.perSeed.find((t) => t.seed === s.seed)?.gain;
        return s.gain && o ? s.gain[k] - o[k] : null;
      }),
    ),
  );
  const verdict = diffs.every(clearlyPositive) ? 'shown' : diffs.some((d) => (d.mean ?? 0) > 0) ? 'partly shown' : 'not shown';
  return {
    ...BASE.W3,
    verdict,
    evidence: `PLE − MMoE gain, paired by seed: ${diffs.map((d, k) => `${a.taskNames[k]} ${signed(d.mean)} (SE ${num(se(d))}, ${d.n} seeds)`).join('; ')}. ${gainText(ple)}; ${gainText(mmoe)}.`,
  };
}
