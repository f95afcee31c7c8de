// What one reproduction produced, as plain data: the plan, the environment,
// every (part, seed) unit with its runs. Analyses and the report are pure
// functions of it; reproduction.json stores a compact copy.
import type { PartSeedResult } from './runSeed';
import { FULL_SEEDS, partPreset, type PartId, type ReproductionPlan } from './plan';

export interface RunEnv {
  date: string;
  node: string;
  tfjs: string;
  backend: string;
  cpus: number;
  cpuModel: string;
  /** 1-minute load average when the reproduction started and ended. */
  loadStart: number;
  loadEnd: number;
  /** Parallel processes running units. */
  jobs: number;
}

export interface ReproductionRecord {
  version: 1;
  plan: ReproductionPlan;
  env: RunEnv;
  units: PartSeedResult[];
  /** `--merge`: the parts kept from an earlier reproduction (its date), not rerun by this one. */
  merged?: { keptFrom: string; parts: PartId[] };
  /** Wall-clock time of the whole reproduction (training, analysis, files). */
  elapsedSeconds: number;
}

export interface PartTiming {
  part: PartId;
  runs: number;
  steps: number;
  /** Sum over units of their wall time (data, training, evaluation). */
  unitSeconds: number;
  /** Sum over units of the process CPU time (NaN when not measured). */
  cpuSeconds: number;
  /** Sum over runs of the trainer's own wall time (training + validation). */
  trainSeconds: number;
  stepsPerSecond: number;
}

export function partTimings(rec: ReproductionRecord): PartTiming[] {
  return rec.plan.parts.map((p) => {
    const units = rec.units.filter((u) => u.part === p.id);
    const runs = units.flatMap((u) => u.runs);
    const steps = runs.reduce((s, r) => s + r.results.steps, 0);
    const trainSeconds = runs.reduce((s, r) => s + r.results.wallSeconds, 0);
    return {
      part: p.id,
      runs: runs.length,
      steps,
      unitSeconds: units.reduce((s, u) => s + u.wallSeconds, 0),
      cpuSeconds: units.reduce((s, u) => s + (u.cpuSeconds ?? NaN), 0),
      trainSeconds,
      stepsPerSecond: trainSeconds > 0 ? steps / trainSeconds : NaN,
    };
  });
}

/**
 * Single-process time of the full-size reproduction extrapolated from this
 * record: each run at the full step budget at its measured rate, plus each
 * unit's overhead, scaled to the full seed count. `wall` uses wall time as
 * measured; `idle` scales it by the units' CPU/wall ratio, i.e. what an idle
 * core would take (the better guess when the machine was shared). From a
 * quick run both over-estimate: quick runs spend a larger share of their time
 * in the fixed validation passes and warm-up.
 */
export function estimateFullSeconds(rec: ReproductionRecord): { part: PartId; wall: number; idle: number }[] {
  return rec.plan.parts.map((p) => {
    const fullSteps = partPreset(p.id).steps;
    const units = rec.units.filter((u) => u.part === p.id);
    if (units.length === 0) return { part: p.id, wall: NaN, idle: NaN };
    let wall = 0;
    let idle = 0;
    for (const u of units) {
      const train = u.runs.reduce((s, r) => s + (r.results.steps > 0 ? (fullSteps * r.results.wallSeconds) / r.results.steps : 0), 0);
      const overhead = Math.max(0, u.wallSeconds - u.runs.reduce((s, r) => s + r.results.wallSeconds, 0));
      const busy = u.cpuSeconds !== undefined && u.wallSeconds > 0 ? Math.min(1, u.cpuSeconds / u.wallSeconds) : 1;
      wall += train + overhead;
      idle += (train + overhead) * busy;
    }
    const scale = FULL_SEEDS.length / units.length;
    return { part: p.id, wall: wall * scale, idle: idle * scale };
  });
}

const finiteOrNull = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v);

/**
 * reproduction.json: the record without training curves, configs (rebuilt
 * from preset, seed and steps) or gate variances (= std²); one unit per line.
 */
/** The findings' verdicts as reproduction.json and findings.json store them. */
export interface FindingRecord {
  id: string;
  part: PartId;
  claim: string;
  verdict: string;
  rule: string;
  evidence: string;
}

export function compactRecordJson(rec: ReproductionRecord, findings: FindingRecord[] = []): string {
  const { units, ...head } = compactRecord(rec);
  return `{${JSON.stringify({ ...head, findings }, finiteOrNull).slice(1, -1)},"units":[\n${units.map((u) => JSON.stringify(u, finiteOrNull)).join(',\n')}\n]}\n`;
}

export function compactRecord(rec: ReproductionRecord) {
  return {
    ...rec,
    units: rec.units.map((u) => ({
      ...u,
      runs: u.runs.map((r) => ({
        variant: r.variant,
        label: r.label,
        model: r.results.model,
        status: r.results.status,
        steps: r.results.steps,
        bestStep: r.results.bestStep ?? null,
        params: r.results.params ?? null,
        wallSeconds: r.results.wallSeconds,
        seeds: r.results.seeds,
        test: r.results.test,
        mtlGain: r.results.mtlGain ?? null,
        baseline: r.results.baseline ?? null,
        ...(r.results.exposure ? { exposure: r.results.exposure } : {}),
        ...(r.results.featureGates ? { featureGates: r.results.featureGates.map((g) => ({ ...g, meanWeight: g.meanWeight.map((v) => Number(v.toPrecision(5))), trueAbsWeight: g.trueAbsWeight.map((v) => Number(v.toPrecision(5))) })) } : {}),
        ...(r.results.data.regionLabelCorrelation ? { regionLabelCorrelation: r.results.data.regionLabelCorrelation } : {}),
        labelCorrelation: r.results.data.labelCorrelation,
        testLabelVariance: r.testLabelVariance,
        gateStats: r.results.gateStats.map((l) => ({ ...l, gates: l.gates.map(({ variance: _v, ...g }) => g) })),
      })),
    })),
  };
}
