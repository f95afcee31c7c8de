// Plain data shapes shared by the core, the worker, the CLI and the page.
// No TF.js here: these cross the worker boundary and go into files.
import type { ExperimentConfig, ModelType, TaskType } from './config/schema';

/** One split of the synthetic data, row-major. */
export interface Split {
  n: number;
  /** [n, d] inputs */
  x: Float32Array;
  /** [n, K] labels: regression targets, or 0/1 for binary tasks */
  y: Float32Array;
  /** [n, K] regression targets before binarisation (for plots) */
  yRaw: Float32Array;
  /** [n, K] sample-space mask δ: 1 = task observed on this row */
  mask: Float32Array;
  /**
   * [n] region of each row in the regional generator: 0 where rᵀx ≤ 0, 1 where rᵀx > 0
   * (all 0 with data.relationship "global"). generateDataset always sets it; it is
   * optional only so that hand-made splits (tests) need not carry it.
   */
  region?: Uint8Array;
}

export interface Dataset {
  d: number;
  K: number;
  taskTypes: TaskType[];
  train: Split;
  val: Split;
  test: Split;
  /**
   * Requested correlation matrix R (K×K). Regional mode: the mean of the two
   * regions' matrices (the correlation of the linear parts over all inputs,
   * since r is independent of the task directions and splits them half/half).
   */
  requested: number[][];
  /** cos(w_i, w_k) of the generated weight vectors (K×K); regional mode: the mean over the two regions. */
  weightCosine: number[][];
  /** Pearson r of the regression targets on the training split (K×K; regional mode: all rows). */
  labelCorrelation: number[][];
  /** Regional mode: [region 1 (rᵀx ≤ 0), region 2 (rᵀx > 0)] requested K×K matrices; [] in global mode. */
  regionRequested: number[][][];
  /** Regional mode: share of the training rows in each region ([rᵀx ≤ 0, rᵀx > 0]); [] in global mode. */
  regionFraction: number[];
  /**
   * Regional mode: per region, the K×K Pearson r of the raw targets on the
   * training rows of that region (NaN where a region has < 2 rows); [] in global mode.
   */
  regionLabelCorrelation: number[][][];
  /**
   * Per binary task: the exact AUC, on the observed test rows, of the noise-free
   * target f(x) = wᵀx + s·Σ sin(α·wᵀx + β) against the binary labels: the
   * ranking a perfect model could reach (the ceiling). NaN for regression tasks.
   */
  oracleAuc: number[];
  /** Fraction of observed rows per task (1 without a chain). */
  observedFraction: number[];
  /** Fraction of positive labels per binary task (NaN for regression). */
  positiveRate: number[];
  /**
   * Per task: the train mean and std a regression target was standardised
   * with (y = (raw − mean) / std); { mean: 0, std: 1 } when it was not (and for binary tasks).
   */
  targetScale: { mean: number; std: number }[];
  /**
   * The task functions: weight vectors w_k (K×d) and the shared sine terms α, β.
   * Regional mode adds the hidden unit direction r (d) and regionW, each region's
   * K×d weight vectors (w is then regionW[0], region 1's).
   */
  functions: { w: number[][]; alpha: number[]; beta: number[]; r?: number[]; regionW?: number[][][] };
}

/** Which experts a gate mixes, in the order of its weights. */
export interface ExpertRef {
  /** Module the expert belongs to: 'task:<k>' | 'shared' */
  module: string;
  /** Index within the module. */
  index: number;
  /** Human label, e.g. "T1·E0" or "S·E1". */
  label: string;
}

export interface GateInfo {
  /** 0-based level. */
  level: number;
  /** 'task:<k>' | 'shared' | 'omoe' */
  id: string;
  label: string;
  experts: ExpertRef[];
}

/** Per gate: mean, std, variance of each expert's weight over an evaluation set. */
export interface GateStats extends GateInfo {
  mean: number[];
  std: number[];
  variance: number[];
  /** Mean entropy (nats) of the gate's distribution per sample. */
  entropy: number;
  /**
   * A task gate's mean total weight on its own task's experts; null for a gate
   * with no task, or with no expert of its own (MMoE).
   */
  ownWeight?: number | null;
  /** The share of ownWeight a uniform gate would give: own experts / experts it sees (null as ownWeight). */
  ownUniform?: number | null;
  /**
   * Routing by region (regional generator): Σ_e |mean weight on expert e over the
   * test rows of region 1 (rᵀx ≤ 0) − the same over region 2 (rᵀx > 0)|, 0..2.
   * null in global mode or when a region has no test row.
   */
  regionL1?: number | null;
}

export interface LevelGateStats {
  level: number;
  gates: GateStats[];
  /**
   * Mean L1 distance between the task gates' distributions, over samples and
   * over task pairs, on the experts both gates can see (a task's own experts
   * count as zero weight for the other task). NaN when there is < 2 task gates.
   */
  taskGateL1: number;
  /**
   * What training added: the mean L1 distance between task gates over only
   * the experts BOTH can see, each gate's weights there renormalised to sum
   * to 1 (over rows and over the pairs that share an expert). null where no
   * two task gates share an expert. taskGateL1 is partly structural: in CGC
   * every task gate sees a private expert, so it is ≈ 1 or more whatever is learnt.
   */
  sharedTaskGateL1?: number | null;
  /** Mean entropy of the task gates at this level. */
  meanTaskEntropy: number;
}

export interface TaskMetrics {
  task: number;
  type: TaskType;
  loss: number;
  /** Regression: MSE on the scale the model trains on (standardised targets: 1 − R² on train statistics). */
  mse?: number;
  /** Regression: MSE on the raw target scale (= mse · std² of the standardisation). */
  rawMse?: number;
  /** Binary */
  auc?: number;
  logloss?: number;
  /** Number of observed rows the metric is computed on. */
  n: number;
}

export type RunStatus = 'idle' | 'running' | 'paused' | 'done' | 'diverged' | 'stopped' | 'error';

export interface CurvePoint {
  step: number;
  /** Joint weighted training loss */
  loss: number;
  /** Per-task training loss */
  taskLoss: number[];
}

export interface EvalPoint {
  step: number;
  split: 'val' | 'test';
  metrics: TaskMetrics[];
}

/** Cosines between task gradients on the shared parameters at one step (gradient-conflict probe). */
export interface GradCosinePoint {
  step: number;
  /** Every task pair a < b (0-based task indices), in that order. */
  pairs: { a: number; b: number; cos: number }[];
}

/** Per task pair over a run: fraction of measured steps with a negative cosine, mean cosine (null: none measured). */
export interface GradConflict {
  a: number;
  b: number;
  negativeFraction: number | null;
  meanCos: number | null;
  /** Measured steps. */
  n: number;
}

/** A feature-selection gate (model.featureGates) over the test rows. */
export interface FeatureGateResult {
  /** The module it gates: 'task:<k>' | 'shared'. */
  id: string;
  label: string;
  /** Mean weight per input dimension over the test rows (sums to 1). */
  meanWeight: number[];
  /**
   * |w_k| per input dimension, the task's true weight the generator knows
   * (regional mode: region 1's); for the shared gate the mean of |w_k| over tasks.
   */
  trueAbsWeight: number[];
  /** Pearson correlation between meanWeight and trueAbsWeight; null where either is constant. */
  correlation: number | null;
}

/** Per-row test predictions of a finished run (score fusion reads them). */
export interface TestPredictions {
  /** Per task, one value per test row: the probability σ(logit) for binary tasks, the predicted value for regression. */
  scores: number[][];
  /** Per task, the test labels (0/1 for binary; the standardised target for regression). */
  labels: number[][];
  /** Sample-space chain only: per task, 1 where the label is observed on that row. */
  observed?: number[][];
}

export interface ExperimentResults {
  version: 1;
  name?: string;
  model: ModelType;
  config: ExperimentConfig;
  backend: string;
  seeds: { data: number; init: number; batch: number };
  status: RunStatus;
  /** Step at which a non-finite loss was detected (diverged runs). */
  divergedAtStep?: number;
  steps: number;
  /**
   * The step whose weights the test metrics, gate statistics and export come
   * from: the best joint validation loss when selectBest, else the last step.
   * For single-task baselines (each task selected on its own) the latest of bestStepByTask.
   */
  bestStep?: number;
  bestStepByTask?: number[];
  /** Whether best-validation selection was on (train.selectBest). */
  selectBest?: boolean;
  /** Trainable parameter count of the model. */
  params?: number;
  wallSeconds: number;
  train: CurvePoint[];
  val: EvalPoint[];
  test: TaskMetrics[] | null;
  /**
   * Click → conversion chains (tasks 0, 1 binary): CVR and CTCVR AUC on every
   * test row (the exposure space), not only the clicked ones (ESMM's point).
   */
  exposure?: { cvrAuc: number | null; ctcvrAuc: number | null; n: number };
  gateStats: LevelGateStats[];
  /** Feature-selection gates (model.featureGates): mean weight per input dimension vs |w_k|. */
  featureGates?: FeatureGateResult[];
  /** The test split's per-row predictions and labels (finished runs; for score fusion). */
  testPredictions?: TestPredictions;
  /** Final task weights ω_k in force (they change under decay/uncertainty/GradNorm). */
  taskWeights: number[];
  /** Gradient-conflict probe (train.gradCosineEvery): cosines per task pair over training; [] when off or nothing is shared. */
  gradientCosine?: GradCosinePoint[];
  /** Summary of gradientCosine per task pair. */
  gradientConflict?: GradConflict[];
  /** Training settings changed while the run trained (the page's live edits), from `step` on; absent when none. */
  liveChanges?: { step: number; learningRate?: number; taskWeights?: number[] }[];
  data: Pick<Dataset, 'requested' | 'weightCosine' | 'labelCorrelation' | 'observedFraction' | 'positiveRate'> & Partial<Pick<Dataset, 'targetScale' | 'oracleAuc' | 'regionFraction' | 'regionLabelCorrelation'>>;
  /** MTL gain per task vs the single-task baseline, when one was run (suites). */
  mtlGain?: (number | null)[];
  /** The run the MTL gain is measured against. */
  baseline?: { name: string; model: ModelType; params: number | null };
}
