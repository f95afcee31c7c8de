// The seesaw as a trade-off curve (preset seesaw-tradeoff): each model's MTL
// gains (A, B) as the task-weight ratio r = ω_A / (ω_A + ω_B) moves, per seed
// and as a mean curve. Two findings, paired by seed with the 2-SE rule.
import type { ModelType } from '../../core/config/schema';
import type { ExperimentResults } from '../../core/types';
import { weightRatio } from '../../core/config/suite';
import { notRun, type Finding } from './findings';
import { effect, paired, pse, type PairedStat } from './paired';
import type { PartSeedResult } from './runSeed';

export interface TradeoffPoint {
  ratio: number;
  /** Per seed: the gains (A, B), null where the run did not finish. */
  perSeed: { seed: number; gain: [number, number] | null }[];
  gain: [PairedStat, PairedStat];
}

export interface TradeoffCurve {
  model: ModelType;
  label: string;
  params: number | null;
  points: TradeoffPoint[];
}

export interface TradeoffAnalysis {
  seeds: number[];
  taskNames: string[];
  taskTypes: string[];
  ratios: number[];
  curves: TradeoffCurve[];
  findings: Finding[];
}

const T = {
  T1: {
    id: 'T1',
    part: 'tradeoff' as const,
    claim: 'The CGC and PLE trade-off curves dominate (lie up and right of) the Shared-Bottom and MMoE curves.',
    source: 'PLE paper: CGC/PLE ease the seesaw (issue "See why": the trade-off curve)',
    rule:
      'X dominates Y when, at every weight ratio, the paired (by seed) differences of X − Y in gain on A and in gain on B are not negative past 2 SE, and at some ratio one of them is positive past 2 SE. ' +
      'shown if CGC and PLE each dominate both Shared-Bottom and MMoE; partly shown if at least one of these four pairs dominates; not shown otherwise.',
  },
  T2: {
    id: 'T2',
    part: 'tradeoff' as const,
    claim: 'Task weighting moves every model along a seesaw: raising ω_A raises the gain on A and lowers the gain on B.',
    source: 'issue "See why": a model\'s seesaw is a curve, not a point',
    rule:
      'per model, gains at the largest ratio − at the smallest, paired by seed: shown if for every model the gain on A rises past 2 SE and the gain on B falls past 2 SE; partly shown if for at least one; not shown otherwise.',
  },
};

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function analyseTradeoff(units: PartSeedResult[]): TradeoffAnalysis {
  const seeds = [...new Set(units.map((u) => u.seed))].sort((a, b) => a - b);
  const runs = units.flatMap((u) => u.runs.map((r) => ({ seed: u.seed, r: r.results, label: r.label })));
  const first = runs[0]?.r;
  const taskNames = first ? first.config.data.tasks.map((t, k) => t.name ?? `task ${k + 1}`) : [];
  const taskTypes = first ? first.config.data.tasks.map((t) => t.type) : [];
  const mtl = runs.filter((x) => x.r.model !== 'single-task');
  const ratioOf = (r: ExperimentResults) => Math.round((weightRatio(r.config) ?? NaN) * 1000) / 1000;
  const ratios = [...new Set(mtl.map((x) => ratioOf(x.r)).filter(Number.isFinite))].sort((a, b) => a - b);
  const models = [...new Set(mtl.map((x) => x.r.model))];
  const curves: TradeoffCurve[] = models.map((model) => {
    const mine = mtl.filter((x) => x.r.model === model);
    const points = ratios.map((ratio) => {
      const perSeed = seeds.map((seed) => {
        const x = mine.find((m) => m.seed === seed && ratioOf(m.r) === ratio);
        const g = x && x.r.status === 'done' ? x.r.mtlGain : undefined;
        const a = finite(g?.[0]);
        const b = finite(g?.[1]);
        return { seed, gain: a !== null && b !== null ? ([a, b] as [number, number]) : null };
      });
      const at = (k: number) => (seed: number) => perSeed.find((p) => p.seed === seed)?.gain?.[k] ?? null;
      return { ratio, perSeed, gain: [paired(seeds, at(0)), paired(seeds, at(1))] as [PairedStat, PairedStat] };
    });
    return { model, label: mine[0]?.label.replace(/ ω_A=.*$/, '') ?? model, params: mine[0]?.r.params ?? null, points };
  });
  const a: TradeoffAnalysis = { seeds, taskNames, taskTypes, ratios, curves, findings: [] };
  a.findings = curves.length && ratios.length >= 2 ? [t1(a), t2(a)] : [notRun(T.T1), notRun(T.T2)];
  return a;
}

const gainAt = (c: TradeoffCurve, i: number, k: number) => (seed: number) => c.points[i]?.perSeed.find((p) => p.seed === seed)?.gain?.[k] ?? null;

function dominates(a: TradeoffAnalysis, x: TradeoffCurve, y: TradeoffCurve): { yes: boolean; text: string } {
  let never = true;
  let some = false;
  const worst: string[] = [];
  a.ratios.forEach((r, i) => {
    for (const k of [0, 1]) {
      const d = paired(a.seeds, gainAt(x, i, k), gainAt(y, i, k));
      const e = effect(d);
      if (e === 'negative') {
        never = false;
        worst.push(`${a.taskNames[k]} at r = ${r.toFixed(2)}: ${pse(d)}`);
      }
      if (e === 'positive') some = true;
    }
  });
  const yes = never && some;
  return { yes, text: `${x.label} vs ${y.label}: ${yes ? 'dominates' : never ? 'never worse past 2 SE, never better past 2 SE' : `worse past 2 SE (${worst.slice(0, 3).join('; ')}${worst.length > 3 ? '; …' : ''})`}` };
}

function t1(a: TradeoffAnalysis): Finding {
  const c = (m: ModelType) => a.curves.find((x) => x.model === m);
  const tops = [c('cgc'), c('ple')].filter((x): x is TradeoffCurve => !!x);
  const bottoms = [c('shared-bottom'), c('mmoe')].filter((x): x is TradeoffCurve => !!x);
  if (!tops.length || !bottoms.length) return notRun(T.T1, 'the sweep needs CGC or PLE and Shared-Bottom or MMoE');
  const pairs = tops.flatMap((x) => bottoms.map((y) => dominates(a, x, y)));
  const k = pairs.filter((p) => p.yes).length;
  const verdict = k === 4 ? 'shown' : k > 0 ? 'partly shown' : 'not shown';
  return { ...T.T1, verdict, evidence: `${pairs.map((p) => p.text).join('. ')}.` };
}

function t2(a: TradeoffAnalysis): Finding {
  const last = a.ratios.length - 1;
  const rows = a.curves.map((c) => {
    const dA = paired(a.seeds, gainAt(c, last, 0), gainAt(c, 0, 0));
    const dB = paired(a.seeds, gainAt(c, last, 1), gainAt(c, 0, 1));
    return { c, dA, dB, ok: effect(dA) === 'positive' && effect(dB) === 'negative' };
  });
  const k = rows.filter((r) => r.ok).length;
  const verdict = k === rows.length ? 'shown' : k > 0 ? 'partly shown' : 'not shown';
  return {
    ...T.T2,
    verdict,
    evidence: `gain at r = ${a.ratios[last]?.toFixed(2)} − at r = ${a.ratios[0]?.toFixed(2)}: ${rows.map((r) => `${r.c.label}: ${a.taskNames[0]} ${pse(r.dA)}, ${a.taskNames[1]} ${pse(r.dB)}`).join('; ')}.`,
  };
}
