// Named experiments, as pure data: used by the CLI (`--preset`), the page's
// preset menu and the reproduction script. Seeds and the step budget are NOT
// baked into the configs here: src/core/config/suite.ts applies them, so one
// preset runs at any seed and any budget.
import { MODEL_LABELS as LABEL, type ExperimentInput, type ModelType } from './schema';

/** One model of a suite; expanded once per seed. */
export interface PresetVariant {
  /** Short id: run names and output folders, e.g. "mmoe" or "shared-bottom-p0.9". */
  name: string;
  /** Human label for tables and legends. */
  label: string;
  config: ExperimentInput;
}

/** A verdict of `npm run reproduce` (docs/reproduction.json) that a preset's text is written for. */
export type ClaimVerdict = 'shown' | 'partly shown' | 'not shown';

interface PresetBase {
  id: string;
  title: string;
  /**
   * What to look for, in a short paragraph. Every sentence about a result is
   * backed by a finding in `claims`, whose committed verdict a test checks.
   */
  description: string;
  /**
   * The findings of `npm run reproduce` this text relies on, with the verdict
   * it was written for (presets.claims.test.ts reads docs/reproduction.json).
   */
  claims: { finding: string; verdict: ClaimVerdict }[];
  /** The mechanism the preset demonstrates, in a few words. */
  mechanism: string;
  /** Training steps per run by default. */
  steps: number;
  /** Seeds by default; each seed n sets data = n, init = n + 1000, batch = n + 2000. */
  seeds: number[];
  /**
   * The chart this preset is about: the page puts it in the focus slot at the
   * top of the workspace, so it is on the first screen after Play.
   */
  focus?: FocusChart;
}

/** Charts (and the runs table) a preset can name as its focus. */
export type FocusChart = 'architecture' | 'curves' | 'utilisation' | 'seesaw' | 'sweep' | 'tradeoff' | 'runs' | 'gate-map';
export interface SinglePreset extends PresetBase {
  kind: 'single';
  config: ExperimentInput;
}
export interface SuitePreset extends PresetBase {
  kind: 'suite';
  variants: PresetVariant[];
  /** A trade-off sweep (seesaw-tradeoff): the task-weight ratios ω_A / (ω_A + ω_B) and the models swept. */
  tradeoff?: { ratios: number[]; models: ModelType[] };
}
export type Preset = SinglePreset | SuitePreset;

// Sizes shared by every preset. 32,000 training rows, not the schema's 8,000:
// measured at 8,000 (seed 1, 1000 steps), MMoE/OMoE with 4 experts of 64
// overfit (train loss 0.02, test MSE 1.0 vs 0.34 for single-task), so a suite
// compared memorisation, not sharing. At 32,000 no model overfits within the
// budgets below (1000–1500 steps = 8–12 epochs of 125 batches) and a run takes
// 10–30 s on Node WASM. Steps cost the same whatever nTrain is.
const DATA = { inputDim: 100, nTrain: 32000, nVal: 1000, nTest: 2000 } as const;
const EXPERT = [64];
const TOWER = [32];
const TWO_REGRESSION = [
  { type: 'regression', name: 'A' },
  { type: 'regression', name: 'B' },
] as const;
const REGRESSION_BINARY = [
  { type: 'regression', name: 'A (regression)' },
  { type: 'binary', name: 'B (binary)' },
] as const;

type ModelFields = NonNullable<ExperimentInput['model']>;
type DataFields = NonNullable<ExperimentInput['data']>;

/** The eight models of SPEC §2 (the papers' comparisons). */
export const CORE_MODELS = ['single-task', 'shared-bottom', 'cross-stitch', 'omoe', 'mmoe', 'ml-mmoe', 'cgc', 'ple'] as const satisfies readonly ModelType[];
/**
 * The seesaw figure's set (PLE paper: hard sharing, asymmetric, customized,
 * cross-stitch, sluice, MMoE, ML-MMoE, CGC, PLE), plus OMoE and AdaTT, against
 * single-task. ESMM needs a chained pair of binary tasks: it has its own preset.
 */
export const SEESAW_MODELS = [
  'single-task',
  'shared-bottom',
  'asymmetric',
  'customized',
  'cross-stitch',
  'sluice',
  'omoe',
  'mmoe',
  'ml-mmoe',
  'cgc',
  'ple',
  'adatt',
] as const satisfies readonly ModelType[];
type CoreModel = ModelType;

/**
 * Every family at a comparable size: 4 experts of [64] where a family has
 * experts (MMoE/OMoE/ML-MMoE: 4 shared; CGC/PLE: 1 per task + 2 shared), so a
 * difference between them comes from how experts are shared, not how many.
 */
const STANDARD: Record<CoreModel, ModelFields> = {
  'single-task': { type: 'single-task', expertHidden: EXPERT, towerHidden: TOWER, sharedExperts: 0, specificExperts: 0, levels: 1 },
  'shared-bottom': { type: 'shared-bottom', expertHidden: EXPERT, towerHidden: TOWER, sharedExperts: 0, specificExperts: 0, levels: 1 },
  'cross-stitch': { type: 'cross-stitch', expertHidden: EXPERT, towerHidden: TOWER, sharedExperts: 0, specificExperts: 0, levels: 1 },
  omoe: { type: 'omoe', expertHidden: EXPERT, towerHidden: TOWER, sharedExperts: 4, specificExperts: 0, levels: 1 },
  mmoe: { type: 'mmoe', expertHidden: EXPERT, towerHidden: TOWER, sharedExperts: 4, specificExperts: 0, levels: 1 },
  'ml-mmoe': { type: 'ml-mmoe', expertHidden: EXPERT, towerHidden: TOWER, sharedExperts: 4, specificExperts: 0, levels: 2 },
  cgc: { type: 'cgc', expertHidden: EXPERT, towerHidden: TOWER, sharedExperts: 2, specificExperts: 1, levels: 1 },
  ple: { type: 'ple', expertHidden: EXPERT, towerHidden: TOWER, sharedExperts: 2, specificExperts: 1, levels: 2 },
  // Column families: one bottom of [64] per task (customized adds a shared one).
  asymmetric: { type: 'asymmetric', expertHidden: EXPERT, towerHidden: TOWER, sharedExperts: 0, specificExperts: 0, levels: 1 },
  customized: { type: 'customized', expertHidden: EXPERT, towerHidden: TOWER, sharedExperts: 0, specificExperts: 0, levels: 1 },
  // Sluice needs ≥ 2 equal, even layers for its layer selection β; [32, 32]
  // keeps each column near the size of one [64] bottom.
  sluice: { type: 'sluice', expertHidden: [32, 32], towerHidden: TOWER, sharedExperts: 0, specificExperts: 0, levels: 1 },
  adatt: { type: 'adatt', expertHidden: EXPERT, towerHidden: TOWER, sharedExperts: 2, specificExperts: 1, levels: 2 },
  esmm: { type: 'esmm', expertHidden: EXPERT, towerHidden: TOWER, sharedExperts: 0, specificExperts: 0, levels: 1 },
};

function variant(
  type: CoreModel,
  data: NonNullable<ExperimentInput['data']>,
  opts: { name?: string; label?: string; model?: Partial<ModelFields>; train?: NonNullable<ExperimentInput['train']> } = {},
): PresetVariant {
  return {
    name: opts.name ?? type,
    label: opts.label ?? LABEL[type],
    config: { data: { ...DATA, ...data }, model: { ...STANDARD[type], ...opts.model }, ...(opts.train ? { train: opts.train } : {}) },
  };
}

// p = 0.5 gives a measured label correlation of about 0.3 (SPEC §1): weakly
// related tasks.
const WEAK = 0.5;
/** Binary labels that are not saturated (SPEC §1): Bernoulli on the standardised target, T = 0.4 → single-task AUC ≈ 0.83. */
const NOISY_BINARY: DataFields = { binaryLabel: 'bernoulli', temperature: 0.4 };

// ---- Gates routing by region (sample-dependent relationship, PLE §3) ----
// A hidden direction r splits the inputs into two regions; task B's weight
// vector correlates +0.9 with task A's in one and −0.9 in the other. Models
// of about 11k parameters (experts of 32), 32,000 rows. Setting: docs/calibration.md.
export const REGIONAL_DATA: DataFields = {
  tasks: [...TWO_REGRESSION],
  relationship: 'regional',
  regionCorrelations: [0.9, -0.9],
  sineScale: 0.3,
};
const ROUTING_EXPERT = [32];
const ROUTING_TOWER = [8];

const mmoeVsCgc: SuitePreset = {
  id: 'mmoe-vs-cgc',
  focus: 'utilisation',
  title: 'MMoE vs CGC gate usage',
  mechanism: 'gates route by region when the task relationship depends on the input',
  description:
    'Two regression tasks whose relationship depends on the input: a hidden direction r splits the inputs into two regions, and task B correlates +0.9 with task A in one region and −0.9 in the other ' +
    '(sine weight 0.3, so the linear part dominates). MMoE has 3 shared experts; CGC has 1 expert per task plus 1 shared; about 11k parameters each. ' +
    'Look at the line "routing by region" under each task gate: over 5 seeds, task B\'s gate sends the two regions to different experts in both models, while task A\'s gate, whose task is the same everywhere, does not (R1, R2). ' +
    'The gates never see r: they find the boundary from x alone. What this preset does not measure: whether the routing buys accuracy.',
  claims: [
    { finding: 'R1', verdict: 'shown' },
    { finding: 'R2', verdict: 'shown' },
  ],
  steps: 1500,
  seeds: [1],
  kind: 'suite',
  variants: [
    variant('mmoe', REGIONAL_DATA, { model: { sharedExperts: 3, expertHidden: ROUTING_EXPERT, towerHidden: ROUTING_TOWER } }),
    variant('cgc', REGIONAL_DATA, { model: { specificExperts: 1, sharedExperts: 1, expertHidden: ROUTING_EXPERT, towerHidden: ROUTING_TOWER } }),
  ],
};

// ---- CGC's own-expert preference with a gate bias, against the bias-free pinning ----
const UTIL_DATA: DataFields = { tasks: [...TWO_REGRESSION], correlation: WEAK };

/** The PLE paper's utilisation figure, plus CGC without a gate bias (the papers' softmax(W·x)). */
const expertUtilisation: SuitePreset = {
  id: 'expert-utilisation',
  focus: 'utilisation',
  title: 'Expert utilisation',
  mechanism: 'a trained gate bias lets CGC prefer its own expert; without it symmetric input pins the mean weights at 1/2',
  description:
    'The PLE paper\'s utilisation figure on two weakly correlated regression tasks (p = 0.5): MMoE and ML-MMoE with 3 shared experts, CGC and PLE with one expert per task plus one shared, and CGC again without a gate bias (the papers\' softmax(W·x)). ' +
    'With a trained gate bias, CGC\'s task gates put clearly more than the uniform 1/2 on their own expert (U2 holds for CGC; for PLE it is not shown at either level). Without the bias the same gates sit at 1/2 in every seed, pinned by the symmetry of the input whatever they learn (U4). ' +
    'No MMoE expert is starved (U3). "MMoE\'s task gates are alike, CGC\'s differ" holds only at level 1 (U1 partly): the raw task-gate L1 of CGC is mostly structure, since each gate sees a private expert, so read "own vs uniform", not the union L1.',
  claims: [
    { finding: 'U1', verdict: 'partly shown' },
    { finding: 'U2', verdict: 'partly shown' },
    { finding: 'U3', verdict: 'shown' },
    { finding: 'U4', verdict: 'shown' },
  ],
  steps: 1500,
  seeds: [1],
  kind: 'suite',
  variants: [
    variant('mmoe', UTIL_DATA, { model: { sharedExperts: 3 } }),
    variant('ml-mmoe', UTIL_DATA, { model: { sharedExperts: 3, levels: 2 } }),
    variant('cgc', UTIL_DATA, { model: { specificExperts: 1, sharedExperts: 1 } }),
    variant('cgc', UTIL_DATA, { name: 'cgc-no-bias', label: 'CGC (no gate bias)', model: { specificExperts: 1, sharedExperts: 1, gateBias: false } }),
    variant('ple', UTIL_DATA, { model: { specificExperts: 1, sharedExperts: 1, levels: 2 } }),
  ],
};

// ---- The seesaw from loss-scale imbalance, and its cure by uncertainty weighting ----
// Raw (unstandardised) regression targets: the regression MSE outweighs the
// binary log-loss in the joint loss; 8,000 rows (the calibration's only setting
// where Shared-Bottom seesaws past 2 SE; at 2,000 nothing shows). docs/calibration.md.
export const SEESAW_DATA: DataFields = {
  tasks: [...REGRESSION_BINARY],
  correlation: WEAK,
  standardizeTargets: false,
  nTrain: 8000,
  ...NOISY_BINARY,
};

const seesaw: SuitePreset = {
  id: 'seesaw',
  focus: 'seesaw',
  title: 'Seesaw',
  mechanism: 'loss-scale imbalance: an unscaled regression loss dominates the joint loss; uncertainty weighting rebalances it',
  description:
    'A regression task A whose target is NOT standardised, so its MSE outweighs the binary log-loss in the joint loss, and a noisy binary task B (p = 0.5, 8,000 rows). ' +
    'Every model of the PLE paper\'s figure plus OMoE and AdaTT is a point at (MTL gain on A, MTL gain on B) against independent single-task columns of the same seed. ' +
    'Over 5 seeds Shared-Bottom does seesaw (W4), but the other way round from the loss-scale story: it loses on the regression task, the one with the larger loss, and gains on the binary one (W6 not shown), and uncertainty weighting does not cure it (W5 not shown). ' +
    'Most models do not seesaw: they lose on A (W1 not shown, 2 of 12). CGC and PLE do not reach the top-right quadrant (W2 not shown); PLE beats MMoE past 2 SE on B only (W3 partly). Run several seeds before reading anything into one point.',
  claims: [
    { finding: 'W1', verdict: 'not shown' },
    { finding: 'W2', verdict: 'not shown' },
    { finding: 'W3', verdict: 'partly shown' },
    { finding: 'W4', verdict: 'shown' },
    { finding: 'W5', verdict: 'not shown' },
    { finding: 'W6', verdict: 'not shown' },
  ],
  steps: 1000,
  seeds: [1],
  kind: 'suite',
  variants: [
    ...SEESAW_MODELS.map((t) => variant(t, SEESAW_DATA)),
    {
      name: 'shared-bottom-uncertainty',
      label: 'Shared-Bottom + uncertainty weighting',
      config: { data: { ...DATA, ...SEESAW_DATA }, model: { ...STANDARD['shared-bottom'] }, train: { weighting: { kind: 'uncertainty' } } },
    },
  ],
};

// ---- The MMoE paper's correlation sweep, at the paper's sizes ----
// 8 experts of one layer of 16 units, towers of 8; Shared-Bottom of 113 units
// so parameters match. p = 1.0, 0.9, 0.5 (the paper has no 0.8).
const SWEEP_P = [1.0, 0.9, 0.5];
const SWEEP_MODELS: CoreModel[] = ['shared-bottom', 'omoe', 'mmoe'];
const PAPER_SIZES: Partial<Record<CoreModel, Partial<ModelFields>>> = {
  'shared-bottom': { expertHidden: [113], towerHidden: [8] },
  omoe: { sharedExperts: 8, expertHidden: [16], towerHidden: [8] },
  mmoe: { sharedExperts: 8, expertHidden: [16], towerHidden: [8] },
};

const correlationSweep: SuitePreset = {
  id: 'correlation-sweep',
  focus: 'sweep',
  title: 'Correlation sweep',
  mechanism: 'task correlation alone, at the MMoE paper\'s sizes',
  description:
    'The MMoE paper\'s synthetic experiment at the paper\'s sizes: Shared-Bottom (one bottom of 113 units), OMoE and MMoE (8 experts of 16 units, towers of 8) on two regression tasks at p = 1.0, 0.9 and 0.5. ' +
    'The paper\'s ordering (Shared-Bottom degrades most as p falls, then OMoE, then MMoE) does not appear on these tasks over 5 seeds (S2 not shown), and not every model gets worse as p falls (S1 only partly). ' +
    'Shared-Bottom\'s results do spread the most between seeds at 2 of the 3 correlations (S3 partly). The lesson: with 32,000 rows and standardised targets, task correlation alone moves little here; the effects the papers report need other mechanisms, which the other presets show.',
  claims: [
    { finding: 'S1', verdict: 'partly shown' },
    { finding: 'S2', verdict: 'not shown' },
    { finding: 'S3', verdict: 'partly shown' },
  ],
  steps: 1000,
  seeds: [1],
  kind: 'suite',
  variants: SWEEP_P.flatMap((p) =>
    SWEEP_MODELS.map((t) =>
      variant(t, { tasks: [...TWO_REGRESSION], correlation: p }, { name: `${t}-p${p.toFixed(1)}`, label: `${LABEL[t]} p=${p.toFixed(1)}`, model: PAPER_SIZES[t] }),
    ),
  ),
};

// ---- Negative transfer from overfitting at small data, and its cure by early stopping ----
// 2,000 training rows; MMoE with 4 experts of 64 has ~1.8× the two
// single-task columns' parameters (30,890 against 17,154). Setting: docs/calibration.md.
export const SMALL_DATA: DataFields = { tasks: [...REGRESSION_BINARY], correlation: WEAK, nTrain: 2000, ...NOISY_BINARY };

const negativeTransfer: SuitePreset = {
  id: 'negative-transfer',
  focus: 'runs',
  title: 'Negative transfer',
  mechanism: 'overfitting at small data; best-validation selection (early stopping) reduces it',
  description:
    'A regression task A and a noisy binary task B (p = 0.5) with only 2,000 training rows. MMoE with 4 experts of 64 has about 1.8 times the parameters of the two single-task columns together. ' +
    'Read at its last step it does clearly worse than single-task on the binary task: negative transfer from overfitting (N1). ' +
    'Taking the weights of the best validation step (early stopping, marked on the curves) recovers part of that loss, not all of it, at this size (N2 partly). ' +
    'Smaller experts (16 units) do not help here: at the last step they lose even more (N3 not shown).',
  claims: [
    { finding: 'N1', verdict: 'shown' },
    { finding: 'N2', verdict: 'partly shown' },
    { finding: 'N3', verdict: 'not shown' },
  ],
  steps: 1500,
  seeds: [1],
  kind: 'suite',
  variants: [
    variant('single-task', SMALL_DATA),
    variant('mmoe', SMALL_DATA, { name: 'mmoe-last-step', label: 'MMoE (last step)', train: { selectBest: false } }),
    variant('mmoe', SMALL_DATA, { label: 'MMoE (best validation step)' }),
    variant('mmoe', SMALL_DATA, { name: 'mmoe-small', label: 'MMoE, experts of 16 (last step)', model: { expertHidden: [16] }, train: { selectBest: false } }),
  ],
};

// ---- ESMM: what it is for, measured on the exposure space ----
// Exposure → click → conversion. Conversion is observed only on clicked rows
// (the generator's sample-space chain); ESMM trains on every exposure through
// pCTCVR = pCTR·pCVR. Its CVR and CTCVR are scored on ALL exposures.
const CHAIN_DATA: DataFields = {
  tasks: [
    { type: 'binary', name: 'CTR' },
    { type: 'binary', name: 'CVR' },
  ],
  correlation: WEAK,
  chain: true,
  ...NOISY_BINARY,
};

const esmmChain: SuitePreset = {
  id: 'esmm',
  focus: 'runs',
  title: 'ESMM on a click → conversion chain',
  mechanism: 'sample selection bias: CVR learnt on clicked rows only, scored on every exposure',
  description:
    'Exposure → click → conversion: conversion (CVR) is observed only on clicked rows. Shared-Bottom and MMoE learn CVR from clicked rows only (the sample selection bias ESMM was made for); ESMM learns it on every exposure through pCTCVR = pCTR × pCVR. ' +
    'The reproduction scores what ESMM is for, CVR and CTCVR on ALL exposures (the generator knows the conversion label of unclicked rows too): on these tasks ESMM is not better there than Shared-Bottom or MMoE over 5 seeds (E1, E2 not shown). ' +
    'A likely reason, not measured: the synthetic conversion label is the same smooth function of x on clicked and unclicked rows, so learning it from clicked rows carries over. ' +
    'ESMM over a CGC bottom (1 expert per task + 2 shared, the brief\'s Meituan hybrid) does not help either: on both exposure-space AUCs it is worse than ESMM over a shared bottom, past 2 SE (E3 not shown).',
  claims: [
    { finding: 'E1', verdict: 'not shown' },
    { finding: 'E2', verdict: 'not shown' },
    { finding: 'E3', verdict: 'not shown' },
  ],
  steps: 1000,
  seeds: [1],
  kind: 'suite',
  variants: [
    ...(['shared-bottom', 'mmoe', 'esmm'] as CoreModel[]).map((t) => variant(t, CHAIN_DATA)),
    // The brief's Meituan hybrid: ESMM's structure over a CGC body (1 expert per task + 2 shared).
    variant('esmm', CHAIN_DATA, { name: 'esmm-cgc', label: 'ESMM over CGC', model: { esmmBottom: 'cgc', specificExperts: 1, sharedExperts: 2 } }),
  ],
};

// ---- Feature-selection gates: each task reads its own features ----
// Sparse task features: task A's true weights live on input dims 1–10, task B's
// on dims 11–20 (p = 0, so the blocks do not mix); the other 80 dims are noise
// to both. A feature gate per task (and one for the shared experts) can learn
// to read only its own block.
export const FEATURE_DATA: DataFields = { tasks: [...TWO_REGRESSION], correlation: 0, featureSupport: 10 };

const featureSelection: SuitePreset = {
  id: 'feature-selection',
  // The feature-gate chart sits under the runs table; the table holds the measured gains.
  focus: 'runs',
  title: 'Feature-selection gates',
  mechanism: 'a softmax gate over the input features per task lets tasks read different features',
  description:
    'Two regression tasks on sparse features: task A\'s true weights live on input dimensions 1–10, task B\'s on 11–20 (p = 0, so the blocks do not mix); the other 80 dimensions are noise to both. ' +
    'CGC and MMoE train with and without feature-selection gates: a softmax over the 100 input features per task (and one for the shared experts) that scales the raw features before that task\'s experts and gate. ' +
    'Open the Feature gates chart: over 5 seeds each task\'s gate puts its weight on its own task\'s features, its mean weight per dimension correlating with |w_k| (F1; clearly for CGC, weaker for MMoE, whose task gates only pick experts), and more than with the other task\'s weights (F2). ' +
    'That does not buy accuracy here: the test MSE with feature gates is not better than without, for either model or task (F3 not shown; it is slightly worse, within 2 SE), although the gates, one 100×100 layer each, double the parameter count. What this preset does not measure: feature gates on dense features, or with more tasks.',
  claims: [
    { finding: 'F1', verdict: 'shown' },
    { finding: 'F2', verdict: 'shown' },
    { finding: 'F3', verdict: 'not shown' },
  ],
  steps: 1000,
  seeds: [1],
  kind: 'suite',
  variants: [
    variant('cgc', FEATURE_DATA),
    variant('cgc', FEATURE_DATA, { name: 'cgc-feature-gates', label: 'CGC + feature gates', model: { featureGates: true } }),
    variant('mmoe', FEATURE_DATA),
    variant('mmoe', FEATURE_DATA, { name: 'mmoe-feature-gates', label: 'MMoE + feature gates', model: { featureGates: true } }),
  ],
};

const pleBasic: SinglePreset = {
  id: 'ple',
  focus: 'architecture',
  title: 'PLE on two tasks',
  mechanism: 'none: a starting point',
  description:
    'A two-level PLE (1 expert per task + 2 shared per level) on two weakly correlated regression tasks (p = 0.5). ' +
    'A starting point, with no claim attached: watch the two task losses fall and the gates settle, then change one thing at a time.',
  claims: [],
  steps: 1500,
  seeds: [1],
  kind: 'single',
  config: variant('ple', { tasks: [...TWO_REGRESSION], correlation: WEAK }).config,
};

// ---- The seesaw as a trade-off curve (issue "See why") ----
// One run per task-weight ratio r = ω_A / (ω_A + ω_B) and model, with
// ω_A = 2r, ω_B = 2(1 − r) (so r = 0.5 is the usual 1 + 1), against the
// single-task columns of the same seed, which ignore task weights.
export const TRADEOFF_RATIOS = [0.1, 0.233, 0.367, 0.5, 0.633, 0.767, 0.9];
export const TRADEOFF_MODELS: ModelType[] = ['shared-bottom', 'mmoe', 'cgc', 'ple'];
export const TRADEOFF_DATA: DataFields = { tasks: [...REGRESSION_BINARY], correlation: WEAK, nTrain: 8000, ...NOISY_BINARY };

/** Task weights of ratio r for two tasks: ω_A = 2r, ω_B = 2(1 − r). */
export const ratioWeights = (r: number): [number, number] => [2 * r, 2 * (1 - r)];

export function makeTradeoffPreset(o: { ratios?: number[]; models?: ModelType[] } = {}): SuitePreset {
  const ratios = o.ratios ?? TRADEOFF_RATIOS;
  const models = o.models ?? TRADEOFF_MODELS;
  if (ratios.length < 2 || ratios.some((r) => !(r > 0 && r < 1))) throw new RangeError('trade-off ratios must be at least two numbers strictly between 0 and 1');
  return {
    id: 'seesaw-tradeoff',
    focus: 'tradeoff',
    title: 'Seesaw trade-off curve',
    mechanism: 'task weighting traces a curve of (gain on A, gain on B) per model; the seesaw is its slope',
    description:
      'Task A (regression, standardised) and a noisy binary task B at p = 0.5, 8,000 rows. Each model is trained once per task-weight ratio ω_A / (ω_A + ω_B) from 0.1 to 0.9, and its MTL gains against the single-task columns of the same seed trace a curve; single-task sits at the origin. ' +
      'Over 5 seeds, raising ω_A buys gain on A and costs gain on B for Shared-Bottom, MMoE and PLE: a seesaw you steer with the weights (T2 partly: CGC\'s gain on B does not fall past 2 SE). ' +
      'The CGC and PLE curves lie up and right of MMoE\'s, but not of Shared-Bottom\'s (T1 partly). Every curve stays left of the origin: no weighting lets any of these models beat the single-task columns on A.',
    claims: [
      { finding: 'T1', verdict: 'partly shown' },
      { finding: 'T2', verdict: 'partly shown' },
    ],
    steps: 1000,
    seeds: [1],
    kind: 'suite',
    tradeoff: { ratios, models },
    variants: [
      variant('single-task', TRADEOFF_DATA),
      ...models.flatMap((m) =>
        ratios.map((r) =>
          variant(m as CoreModel, TRADEOFF_DATA, {
            name: `${m}-w${r.toFixed(3)}`,
            label: `${LABEL[m]} ω_A=${r.toFixed(2)}`,
            train: { weighting: { kind: 'fixed', weights: ratioWeights(r) } },
          }),
        ),
      ),
    ],
  };
}

const seesawTradeoff = makeTradeoffPreset();

export const PRESETS: readonly Preset[] = [pleBasic, mmoeVsCgc, expertUtilisation, seesaw, seesawTradeoff, correlationSweep, negativeTransfer, esmmChain, featureSelection];

/**
 * The order a lesson takes the presets in (the page's "start here" path):
 * the model first, then gates routing, what experts are used for, when
 * sharing helps or hurts (correlation, seesaw and its trade-off, negative
 * transfer), and ESMM's special case last. Presets not listed follow.
 */
export const LESSON_ORDER: readonly string[] = ['ple', 'mmoe-vs-cgc', 'expert-utilisation', 'correlation-sweep', 'seesaw', 'seesaw-tradeoff', 'negative-transfer', 'feature-selection', 'esmm'];

/** A preset's focus chart (the architecture where a preset names none). */
export function focusOf(p: Preset | undefined): FocusChart {
  return p?.focus ?? 'architecture';
}

/** Presets in lesson order. */
export function presetsInLessonOrder(): Preset[] {
  const rank = (id: string) => {
    const i = LESSON_ORDER.indexOf(id);
    return i < 0 ? LESSON_ORDER.length : i;
  };
  return [...PRESETS].sort((a, b) => rank(a.id) - rank(b.id));
}

/** The seeds of the full reproduction (`npm run reproduce`) and of the page's "Run all seeds". */
export const REPRODUCTION_SEEDS: readonly number[] = [1, 2, 3, 4, 5];

export const PRESET_IDS: readonly string[] = PRESETS.map((p) => p.id);

export function getPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
