// Expands a preset (or one config) into concrete runs with seeds and a step
// budget baked in, and turns finished runs into MTL gains and a summary.
// Pure: the CLI, the worker and the reproduction script share it.
import { mtlGain } from '../train/metrics';
import type { ExperimentResults, TaskMetrics } from '../types';
import type { Preset } from './presets';
import { ConfigError, parseExperiment, type ExperimentConfig, type ExperimentInput, type ModelType } from './schema';

/**
 * One seed n drives three independent streams: data = n, init = n + 1000,
 * batch order = n + 2000. Every model of a seed sees the same data and batch
 * order; a new seed changes all three.
 */
export const SEED_OFFSETS = { data: 0, init: 1000, batch: 2000 } as const;
export const MAX_SEED = 2 ** 31 - 1 - SEED_OFFSETS.batch;
export const SEED_SCHEME = 'seed n: data seed = n, init seed = n + 1000, batch seed = n + 2000';

export function seedsFor(n: number): { data: number; init: number; batch: number } {
  if (!Number.isInteger(n) || n < 1 || n > MAX_SEED) throw new RangeError(`seed must be a whole number between 1 and ${MAX_SEED} (got ${n})`);
  return { data: n + SEED_OFFSETS.data, init: n + SEED_OFFSETS.init, batch: n + SEED_OFFSETS.batch };
}

/** Validation every ~5% of the run: enough points for a curve, few enough to stay cheap. */
export function evalEveryFor(steps: number): number {
  return Math.max(1, Math.round(steps / 20));
}

/** A concrete run. `config` is validated, with seeds and steps in it; `seed` is the n it came from. */
export interface SuiteRun {
  name: string;
  /** Preset variant (model) name, the same for every seed. */
  variant: string;
  label: string;
  seed: number;
  config: ExperimentConfig;
}

export interface RunOverrides {
  /** One seed n (see SEED_OFFSETS); replaces the preset's seeds. */
  seed?: number;
  /** Several seeds; replaces the preset's seeds. */
  seeds?: number[];
  /** Training steps per run. */
  steps?: number;
}

function validate(input: ExperimentInput, where: string | null): ExperimentConfig {
  const r = parseExperiment(input);
  if (r.ok) return r.config;
  throw new ConfigError(where ? r.issues.map((i) => ({ ...i, path: i.path ? `${where}: ${i.path}` : where })) : r.issues);
}

function withSeedAndSteps(input: ExperimentInput, seed: number | null, steps: number | null, evalEvery: number | null): ExperimentInput {
  const s = seed === null ? null : seedsFor(seed);
  return {
    ...input,
    data: { ...input.data, ...(s ? { seed: s.data } : {}) },
    model: { ...input.model },
    train: {
      ...input.train,
      ...(s ? { initSeed: s.init, batchSeed: s.batch } : {}),
      ...(steps !== null ? { steps } : {}),
      ...(evalEvery !== null ? { evalEvery } : {}),
    },
  };
}

function chooseSeeds(defaults: number[], o: RunOverrides): number[] {
  const seeds = o.seeds ?? (o.seed !== undefined ? [o.seed] : defaults);
  if (seeds.length === 0) throw new RangeError('need at least one seed');
  if (new Set(seeds).size !== seeds.length) throw new RangeError(`seeds must be distinct (got ${seeds.join(', ')})`);
  seeds.forEach(seedsFor); // range check
  return seeds;
}

/** Single-task runs first within each seed, so their baselines exist before the models compared with them. */
function baselineFirst<T extends { config: ExperimentInput }>(variants: T[]): T[] {
  const isSingle = (v: T) => v.config.model?.type === 'single-task';
  return [...variants.filter(isSingle), ...variants.filter((v) => !isSingle(v))];
}

/**
 * Every run of a preset: for each seed (outer), every variant (inner). Run
 * names are the variant name, with `-seed<n>` appended when there are several seeds.
 */
export function expandPreset(preset: Preset, o: RunOverrides = {}): SuiteRun[] {
  const seeds = chooseSeeds(preset.seeds, o);
  const steps = o.steps ?? preset.steps;
  const variants = preset.kind === 'single' ? [{ name: preset.id, label: preset.title, config: preset.config }] : baselineFirst(preset.variants);
  const runs: SuiteRun[] = [];
  for (const seed of seeds)
    for (const v of variants) {
      const name = seeds.length > 1 ? `${v.name}-seed${seed}` : v.name;
      runs.push({ name, variant: v.name, label: v.label, seed, config: validate(withSeedAndSteps(v.config, seed, steps, evalEveryFor(steps)), name) });
    }
  return runs;
}

/**
 * One config (e.g. a JSON file). Without a seed override it keeps the file's
 * own seeds; `seed` then reports the data seed. With several seeds, one run each.
 */
export function expandConfig(input: ExperimentInput, o: RunOverrides = {}, name = 'run'): SuiteRun[] {
  const base = validate(input, null);
  const steps = o.steps ?? null;
  const total = steps ?? base.train.steps;
  // Keep the file's evaluation interval unless it would skip every evaluation.
  const evalEvery = base.train.evalEvery > total ? evalEveryFor(total) : null;
  const label = input.model?.type ?? base.model.type;
  if (o.seed === undefined && o.seeds === undefined)
    return [{ name, variant: name, label, seed: base.data.seed, config: validate(withSeedAndSteps(input, null, steps, evalEvery), null) }];
  const seeds = chooseSeeds([], o);
  return seeds.map((seed) => ({
    name: seeds.length > 1 ? `${name}-seed${seed}` : name,
    variant: name,
    label,
    seed,
    config: validate(withSeedAndSteps(input, seed, steps, evalEvery), null),
  }));
}

// ---------- MTL gain ----------

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** Runs compare only with a single-task run of the same data, seeds and budget. */
export function baselineKey(config: ExperimentConfig): string {
  return canonical({ data: config.data, init: config.train.initSeed, batch: config.train.batchSeed, steps: config.train.steps });
}

/** MTL gain per task of `model` against `single` on the test set (null where either is missing). */
export function gainsAgainst(model: ExperimentResults, single: ExperimentResults): (number | null)[] {
  const K = model.config.data.tasks.length;
  return Array.from({ length: K }, (_, k) => {
    const m: TaskMetrics | undefined = model.test?.[k];
    const s: TaskMetrics | undefined = single.test?.[k];
    if (!m || !s) return null;
    const g = mtlGain(m.type, m, s);
    return g !== null && Number.isFinite(g) ? g : null;
  });
}

/**
 * The single-task run each result is compared with: same data, seeds and
 * steps. Never chosen by run order: among several candidates the one with
 * the same bottom and tower sizes wins (compare like with like, SPEC §4),
 * then the smallest name. Undefined where the suite has no such run.
 */
export function findBaselines(results: ExperimentResults[]): (ExperimentResults | undefined)[] {
  const byKey = new Map<string, ExperimentResults[]>();
  for (const r of results)
    if (r.model === 'single-task') {
      const k = baselineKey(r.config);
      byKey.set(k, [...(byKey.get(k) ?? []), r]);
    }
  const sizes = (r: ExperimentResults) => canonical([r.config.model.expertHidden, r.config.model.towerHidden]);
  return results.map((r) => {
    const candidates = byKey.get(baselineKey(r.config));
    if (!candidates) return undefined;
    if (r.model === 'single-task') return r;
    const rank = (c: ExperimentResults) => (sizes(c) === sizes(r) ? 0 : 1);
    return [...candidates].sort((a, b) => rank(a) - rank(b) || (a.name ?? '').localeCompare(b.name ?? ''))[0];
  });
}

/**
 * MTL gain of every result against its baseline (findBaselines); undefined
 * where the suite has no baseline. The single-task run itself gets its gain
 * against itself (0, or null if it failed).
 */
export function computeMtlGains(results: ExperimentResults[]): ((number | null)[] | undefined)[] {
  const baselines = findBaselines(results);
  return results.map((r, i) => {
    const b = baselines[i];
    return b ? gainsAgainst(r, b) : undefined;
  });
}

/** How results.json names the baseline of its MTL gain. */
export function baselineRef(b: ExperimentResults | undefined): ExperimentResults['baseline'] {
  return b ? { name: b.name ?? b.model, model: b.model, params: b.params ?? null } : undefined;
}

/** Every result with its MTL gain and the baseline it is measured against. */
export function withGains(results: ExperimentResults[]): ExperimentResults[] {
  const baselines = findBaselines(results);
  const gains = computeMtlGains(results);
  return results.map((r, i) => {
    const { mtlGain: _g, baseline: _b, ...rest } = r;
    return gains[i] ? { ...rest, mtlGain: gains[i], baseline: baselineRef(baselines[i]) } : rest;
  });
}

// ---------- summary ----------

export interface Stat {
  /** Mean over the finite values (null when there is none). */
  mean: number | null;
  /** Sample standard deviation (n − 1); null with fewer than 2 values. */
  std: number | null;
  /** Number of finite values. */
  n: number;
}

export function stat(values: (number | null | undefined)[]): Stat {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { mean: null, std: null, n: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = n < 2 ? null : Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, std, n };
}

const finite = (v: number | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The metric a task is judged by: MSE for regression (lower is better), AUC for binary (higher is better). */
export function headlineMetric(m: TaskMetrics): { name: 'mse' | 'auc'; value: number | null } {
  return m.type === 'binary' ? { name: 'auc', value: finite(m.auc) } : { name: 'mse', value: finite(m.mse) };
}

export interface SummaryTask {
  task: number;
  name: string;
  type: 'regression' | 'binary';
  metric: 'mse' | 'auc';
  value: number | null;
  logloss: number | null;
  loss: number | null;
  mtlGain: number | null;
}

export interface SummaryRun {
  name: string;
  variant: string;
  label: string;
  model: ModelType;
  seed: number;
  seeds: { data: number; init: number; batch: number };
  correlation: number | number[][];
  status: ExperimentResults['status'];
  steps: number;
  /** The step the test metrics come from (best validation, or the last step). */
  bestStep: number | null;
  /** Task-weight ratio ω_1 / (ω_1 + ω_2) of the first two tasks (fixed and PLE-decay weights; null for learned weightings). */
  weightRatio: number | null;
  /** Trainable parameters. */
  params: number | null;
  /** The run the MTL gains are measured against. */
  baseline: ExperimentResults['baseline'] | null;
  divergedAtStep?: number;
  wallSeconds: number;
  /** Test metrics per task (empty when the run produced none). */
  tasks: SummaryTask[];
  /** Per level: mean L1 distance between task gates, and their mean entropy (null where undefined). */
  gates: { level: number; taskGateL1: number | null; meanTaskEntropy: number | null; sharedTaskGateL1: number | null }[];
}

export interface SummaryVariant {
  variant: string;
  label: string;
  model: ModelType;
  /** Trainable parameters (the same for every seed). */
  params: number | null;
  runs: number;
  diverged: number;
  tasks: { task: number; name: string; metric: 'mse' | 'auc'; value: Stat; logloss: Stat; mtlGain: Stat }[];
  gates: { level: number; taskGateL1: Stat; meanTaskEntropy: Stat; sharedTaskGateL1: Stat }[];
}

export interface SuiteSummary {
  version: 1;
  preset: string | null;
  title: string;
  backend: string;
  seedScheme: string;
  seeds: number[];
  steps: number[];
  wallSeconds: number;
  runs: SummaryRun[];
  /** Each variant over its seeds: mean and sample std. */
  variants: SummaryVariant[];
}

export interface FinishedRun {
  run: SuiteRun;
  results: ExperimentResults;
}

/** ω_1 / (ω_1 + ω_2) of a config's first two tasks (1 + 1 when weights are unset); null for learned weightings. */
export function weightRatio(c: ExperimentConfig): number | null {
  const w = c.train.weighting;
  if (w.kind === 'uncertainty' || w.kind === 'gradnorm') return null;
  const [a, b] = [w.weights?.[0] ?? 1, w.weights?.[1] ?? 1];
  return a + b > 0 ? a / (a + b) : null;
}

function summarizeRun({ run, results: r }: FinishedRun): SummaryRun {
  const names = r.config.data.tasks.map((t, k) => t.name ?? `task ${k + 1}`);
  const tasks: SummaryTask[] = (r.test ?? []).map((m, k) => {
    const h = headlineMetric(m);
    return {
      task: k,
      name: names[k],
      type: m.type,
      metric: h.name,
      value: h.value,
      logloss: finite(m.logloss),
      loss: finite(m.loss),
      mtlGain: r.mtlGain?.[k] ?? null,
    };
  });
  return {
    name: run.name,
    variant: run.variant,
    label: run.label,
    model: r.model,
    seed: run.seed,
    seeds: r.seeds,
    correlation: r.config.data.correlationMatrix ?? r.config.data.correlation,
    status: r.status,
    steps: r.steps,
    bestStep: r.bestStep ?? null,
    weightRatio: weightRatio(r.config),
    params: r.params ?? null,
    baseline: r.baseline ?? null,
    ...(r.divergedAtStep !== undefined ? { divergedAtStep: r.divergedAtStep } : {}),
    wallSeconds: r.wallSeconds,
    tasks,
    gates: r.gateStats.map((l) => ({
      level: l.level,
      taskGateL1: finite(l.taskGateL1),
      meanTaskEntropy: finite(l.meanTaskEntropy),
      sharedTaskGateL1: finite(l.sharedTaskGateL1 ?? undefined),
    })),
  };
}

function summarizeVariant(runs: SummaryRun[]): SummaryVariant {
  const first = runs[0];
  const K = Math.max(0, ...runs.map((r) => r.tasks.length));
  const levels = Math.max(0, ...runs.map((r) => r.gates.length));
  return {
    variant: first.variant,
    label: first.label,
    model: first.model,
    params: first.params,
    runs: runs.length,
    diverged: runs.filter((r) => r.status === 'diverged').length,
    tasks: Array.from({ length: K }, (_, k) => {
      const t = runs.find((r) => r.tasks[k])!.tasks[k];
      return {
        task: k,
        name: t.name,
        metric: t.metric,
        value: stat(runs.map((r) => r.tasks[k]?.value)),
        logloss: stat(runs.map((r) => r.tasks[k]?.logloss)),
        mtlGain: stat(runs.map((r) => r.tasks[k]?.mtlGain)),
      };
    }),
    gates: Array.from({ length: levels }, (_, l) => ({
      level: l,
      taskGateL1: stat(runs.map((r) => r.gates[l]?.taskGateL1)),
      meanTaskEntropy: stat(runs.map((r) => r.gates[l]?.meanTaskEntropy)),
      sharedTaskGateL1: stat(runs.map((r) => r.gates[l]?.sharedTaskGateL1)),
    })),
  };
}

/** Final metrics and MTL gains of every run, and per variant over seeds. Results should carry mtlGain already. */
export function summarizeSuite(meta: { preset: string | null; title: string; backend: string }, finished: FinishedRun[]): SuiteSummary {
  const runs = finished.map(summarizeRun);
  const byVariant = new Map<string, SummaryRun[]>();
  for (const r of runs) byVariant.set(r.variant, [...(byVariant.get(r.variant) ?? []), r]);
  return {
    version: 1,
    preset: meta.preset,
    title: meta.title,
    backend: meta.backend,
    seedScheme: SEED_SCHEME,
    seeds: [...new Set(finished.map((f) => f.run.seed))],
    steps: [...new Set(finished.map((f) => f.run.config.train.steps))],
    wallSeconds: finished.reduce((s, f) => s + f.results.wallSeconds, 0),
    runs,
    variants: [...byVariant.values()].map(summarizeVariant),
  };
}
