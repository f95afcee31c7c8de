// `npm run reproduce -- --parts <p> --merge`: rerun some parts and keep the
// others from the committed reproduction.json, so adding a part does not mean
// rerunning every part (~20 min on 2 cores). reproduction.json stores a compact
// copy of each run (record.ts); inflateRecord turns it back into the units the
// analyses read (configs rebuilt from the preset, seed and steps; gate
// variances = std²), and the merged record gives the same verdicts for the kept
// parts as the committed one (a test checks this on docs/reproduction.json).
import type { ExperimentResults, LevelGateStats } from '../../core/types';
import { PART_IDS, partRuns, type PartId, type PartPlan, type ReproductionPlan } from './plan';
import type { ReproductionRecord } from './record';
import type { PartSeedResult } from './runSeed';

type CompactRun = {
  variant: string;
  label: string;
  model: ExperimentResults['model'];
  status: ExperimentResults['status'];
  steps: number;
  bestStep: number | null;
  params: number | null;
  wallSeconds: number;
  seeds: ExperimentResults['seeds'];
  test: ExperimentResults['test'];
  mtlGain: ExperimentResults['mtlGain'] | null;
  baseline: ExperimentResults['baseline'] | null;
  exposure?: ExperimentResults['exposure'];
  featureGates?: ExperimentResults['featureGates'];
  regionLabelCorrelation?: number[][][];
  labelCorrelation: number[][];
  testLabelVariance: (number | null)[];
  gateStats: LevelGateStats[];
};
type CompactUnit = Omit<PartSeedResult, 'runs'> & { runs: CompactRun[] };
export interface CompactRecordFile extends Omit<ReproductionRecord, 'units'> {
  units: CompactUnit[];
}

/** null in JSON stands for a non-finite number (record.ts writes NaN as null). */
const nanIfNull = (v: number | null | undefined) => (v === null || v === undefined ? NaN : v);

function inflateRun(part: PartPlan, u: CompactUnit, r: CompactRun): PartSeedResult['runs'][number] {
  const run = partRuns(part, u.seed).find((x) => x.variant === r.variant);
  if (!run) throw new Error(`reproduction.json: part ${part.id} seed ${u.seed} has a run "${r.variant}" that the preset no longer has; rerun that part`);
  const results: ExperimentResults = {
    version: 1,
    name: run.name,
    model: r.model,
    config: run.config,
    backend: u.backend,
    seeds: r.seeds,
    status: r.status,
    steps: r.steps,
    ...(r.bestStep !== null ? { bestStep: r.bestStep } : {}),
    selectBest: run.config.train.selectBest,
    ...(r.params !== null ? { params: r.params } : {}),
    wallSeconds: r.wallSeconds,
    train: [],
    val: [],
    test: r.test,
    ...(r.exposure ? { exposure: r.exposure } : {}),
    gateStats: r.gateStats.map((l) => ({
      ...l,
      taskGateL1: nanIfNull(l.taskGateL1),
      meanTaskEntropy: nanIfNull(l.meanTaskEntropy),
      gates: l.gates.map((g) => ({ ...g, variance: g.std.map((s) => s * s) })),
    })),
    ...(r.featureGates ? { featureGates: r.featureGates } : {}),
    taskWeights: [],
    ...(r.mtlGain ? { mtlGain: r.mtlGain } : {}),
    ...(r.baseline ? { baseline: r.baseline } : {}),
    data: {
      requested: [],
      weightCosine: [],
      labelCorrelation: r.labelCorrelation,
      observedFraction: [],
      positiveRate: [],
      ...(r.regionLabelCorrelation ? { regionLabelCorrelation: r.regionLabelCorrelation } : {}),
    },
  };
  return { variant: r.variant, label: r.label, results, testLabelVariance: r.testLabelVariance };
}

/** The units of reproduction.json, back in the shape the analyses read. */
export function inflateRecord(file: CompactRecordFile): ReproductionRecord {
  return {
    ...file,
    units: file.units.map((u) => {
      const part = file.plan.parts.find((p) => p.id === u.part);
      if (!part) throw new Error(`reproduction.json: unit of part ${u.part} is not in its plan`);
      return { ...u, runs: u.runs.map((r) => inflateRun(part, u, r)) };
    }),
  };
}

/**
 * The plan and units of a merge: this run's parts and units, plus every other
 * part of the old record (its plan entry and units), in PART_IDS order.
 */
export function mergePlans(
  old: ReproductionRecord,
  plan: ReproductionPlan,
  units: PartSeedResult[],
): { plan: ReproductionPlan; units: PartSeedResult[]; kept: PartId[] } {
  if (old.plan.mode !== plan.mode) throw new Error(`--merge: the existing reproduction is a ${old.plan.mode} run, this one is ${plan.mode}`);
  const sameSeeds = old.plan.seeds.length === plan.seeds.length && old.plan.seeds.every((s, i) => s === plan.seeds[i]);
  if (!sameSeeds) throw new Error(`--merge: the existing reproduction used seeds ${old.plan.seeds.join(',')}, this one ${plan.seeds.join(',')}`);
  const ran = new Set(plan.parts.map((p) => p.id));
  const keptParts = old.plan.parts.filter((p) => !ran.has(p.id));
  const parts = [...keptParts, ...plan.parts].sort((a, b) => PART_IDS.indexOf(a.id) - PART_IDS.indexOf(b.id));
  const keptIds = keptParts.map((p) => p.id);
  return {
    plan: { ...plan, parts },
    units: [...old.units.filter((u) => keptIds.includes(u.part)), ...units].sort((a, b) => PART_IDS.indexOf(a.part) - PART_IDS.indexOf(b.part) || a.seed - b.seed),
    kept: keptIds,
  };
}
