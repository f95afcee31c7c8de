// One schema for the whole experiment: defaults, limits, readable errors.
// The URL codec, file import, CLI and worker all validate through here.
import { z } from 'zod';
import { isPositiveSemiDefinite } from '../data/linalg';
import { regionCorrelationIssues } from '../data/regions';

// In the order of the PLE paper's figure of MTL structures (single-level, then
// multi-level), followed by the two later models of the seed write-ups.
export const MODEL_TYPES = [
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
  'esmm',
] as const;
export type ModelType = (typeof MODEL_TYPES)[number];

export const MODEL_LABELS: Record<ModelType, string> = {
  'single-task': 'Single-task',
  'shared-bottom': 'Shared-Bottom',
  asymmetric: 'Asymmetric sharing',
  customized: 'Customized sharing',
  'cross-stitch': 'Cross-Stitch',
  sluice: 'Sluice network',
  omoe: 'OMoE',
  mmoe: 'MMoE',
  'ml-mmoe': 'ML-MMoE',
  cgc: 'CGC',
  ple: 'PLE',
  adatt: 'AdaTT',
  esmm: 'ESMM',
};

export const TASK_TYPES = ['regression', 'binary'] as const;
export type TaskType = (typeof TASK_TYPES)[number];
export const WEIGHTINGS = ['fixed', 'ple-decay', 'uncertainty', 'gradnorm'] as const;
export type Weighting = (typeof WEIGHTINGS)[number];
export const BACKENDS = ['auto', 'webgpu', 'wasm', 'webgl', 'cpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

const numberError = (name: string, input: unknown) =>
  typeof input === 'number' ? `${name} must be a finite number (got ${input})` : input === undefined ? `${name} is required` : `${name} must be a number (got ${JSON.stringify(input)})`;

/** What each number field accepts, in words ("a whole number from 1 to 1024"): read by rules.ts for messages. */
export const NUMBER_RULES = new WeakMap<z.ZodType, string>();
const ruled = <T extends z.ZodType>(schema: T, rule: string): T => {
  NUMBER_RULES.set(schema, rule);
  return schema;
};

const int = (name: string, min: number, max: number) =>
  ruled(
    z
      .number({ error: (iss) => numberError(name, iss.input) })
      .refine((v) => Number.isFinite(v), `${name} must be a finite number`)
      .refine((v) => Number.isInteger(v), `${name} must be a whole number`)
      .refine((v) => v >= min && v <= max, { error: (iss) => `${name} must be between ${min} and ${max} (got ${String(iss.input)})` }),
    `a whole number from ${min} to ${max}`,
  );

const num = (name: string, min: number, max: number, opts: { exclusiveMin?: boolean } = {}) =>
  ruled(
    z
      .number({ error: (iss) => numberError(name, iss.input) })
      .refine((v) => Number.isFinite(v), `${name} must be a finite number (got NaN or Infinity)`)
      .refine((v) => (opts.exclusiveMin ? v > min : v >= min) && v <= max, {
        error: (iss) => `${name} must be ${opts.exclusiveMin ? 'greater than' : 'at least'} ${min} and at most ${max} (got ${String(iss.input)})`,
      }),
    opts.exclusiveMin ? `a number greater than ${min} and at most ${max}` : `a number from ${min} to ${max}`,
  );

const seed = (name: string) => int(name, 1, 2 ** 31 - 1);

export const TaskSchema = z.object({
  type: z.enum(TASK_TYPES, { error: 'task type must be "regression" or "binary"' }).default('regression'),
  name: z.string().max(40).optional(),
});

export const DataSchema = z.object({
  tasks: z
    .array(TaskSchema)
    .min(2, 'tasks: need between 2 and 6 tasks')
    .max(6, 'tasks: need between 2 and 6 tasks')
    .default([{ type: 'regression' }, { type: 'regression' }]),
  /** Pairwise correlation p of the task weight vectors (cos(w_i, w_k) = p). */
  correlation: num('correlation', -1, 1).default(0.5),
  /** Optional full K×K target correlation matrix; overrides `correlation`. */
  correlationMatrix: z.array(z.array(num('correlation matrix entry', -1, 1))).nullable().default(null),
  inputDim: int('input dimension d', 2, 1024).default(100),
  /** c: scale of the weight vectors. */
  scale: num('scale c', 0, 100, { exclusiveMin: true }).default(1),
  /** m: number of sine terms. */
  numSines: int('number of sines m', 0, 64).default(10),
  /** σ: standard deviation of the label noise (variance σ²). */
  noiseStd: num('noise std σ', 0, 10).default(0.1),
  binaryLabel: z.enum(['median', 'bernoulli']).default('median'),
  /** Temperature of Bernoulli(sigmoid(y / T)) labels. */
  temperature: num('temperature', 0, 100, { exclusiveMin: true }).default(1),
  /** Sample-space chain: task k is observed only where task k−1 is positive. */
  chain: z.boolean().default(false),
  nTrain: int('training samples', 64, 200_000).default(8000),
  nVal: int('validation samples', 16, 100_000).default(1000),
  nTest: int('test samples', 16, 100_000).default(2000),
  seed: seed('data seed').default(1),
  /**
   * Fixes the task functions (u, α, β) apart from the samples: with it, a new
   * data seed draws new samples of the SAME tasks. null: the data seed draws both.
   */
  taskSeed: seed('task seed').nullable().default(null),
  /** Standardise each regression target with the train split's mean and std (SPEC §1). */
  standardizeTargets: z.boolean({ error: 'standardise targets must be true or false' }).default(true),
  /**
   * s: weight of the sine terms, y = wᵀx + s·Σ sin(α·wᵀx + β) + ε (1 = the MMoE paper's
   * generator; the sines carry ~5/6 of the label variance there). Both modes.
   */
  sineScale: num('sine scale s', 0, 10).default(1),
  /**
   * 'global': one task relationship everywhere (correlation / correlationMatrix).
   * 'regional': a hidden direction r splits the inputs into region 1 (rᵀx ≤ 0) and
   * region 2 (rᵀx > 0), each with its own correlation (regionCorrelations; SPEC §1).
   */
  relationship: z.enum(['global', 'regional'], { error: 'relationship must be "global" or "regional"' }).default('global'),
  /**
   * Regional mode only: the task correlation in region 1 (rᵀx ≤ 0) and region 2 (rᵀx > 0),
   * each one number p (every off-diagonal entry) or a full K×K matrix.
   */
  regionCorrelations: z
    .array(
      z.union([num('region correlation', -1, 1), z.array(z.array(num('region correlation matrix entry', -1, 1)))], {
        error: 'region correlation must be a number in [-1, 1] or a K×K matrix',
      }),
    )
    .length(2, 'region correlations: give exactly 2 (region 1: rᵀx ≤ 0, region 2: rᵀx > 0)')
    .default([0.9, -0.6]),
  /**
   * Sparse task features (global mode): each task's direction u_k lives on its own
   * block of this many input dimensions (task k: dims k·s … (k+1)·s − 1), zero elsewhere,
   * so a task reads only its features (w_k mixes the u_j of the tasks it correlates with).
   * null: dense directions over all d dimensions (the papers' generator, bit-identical).
   */
  featureSupport: int('feature support', 1, 1024).nullable().default(null),
});

const hidden = (name: string, minLayers: number, maxLayers: number) =>
  z
    .array(int(`${name} layer size`, 1, 1024))
    .min(minLayers, `${name}: need at least ${minLayers} layer${minLayers === 1 ? '' : 's'}`)
    .max(maxLayers, `${name}: at most ${maxLayers} layers`);

export const ModelSchema = z.object({
  type: z.enum(MODEL_TYPES, { error: `model type must be one of ${MODEL_TYPES.join(', ')}` }).default('ple'),
  /** Extraction levels (PLE, ML-MMoE, AdaTT). CGC, MMoE, OMoE are one level. */
  levels: int('levels', 1, 4).default(2),
  sharedExperts: int('shared experts', 0, 16).default(2),
  /** Task-specific experts (CGC/PLE/AdaTT): one number for every task, or one per task. */
  specificExperts: z.union([int('specific experts', 0, 16), z.array(int('specific experts', 0, 16))]).default(2),
  expertHidden: hidden('expert hidden', 1, 4).default([64]),
  towerHidden: hidden('tower hidden', 0, 3).default([32]),
  gateHidden: hidden('gate hidden', 0, 2).default([]),
  /**
   * A trained bias on every gate's logits (Meta's AdaTT, LibMTL, torch-rechub).
   * false: the papers' bias-free softmax(W·x), whose mean weights symmetric
   * input pins (a 2-expert gate averages exactly 1/2 whatever it learns).
   */
  gateBias: z.boolean({ error: 'gate bias must be true or false' }).default(true),
  /**
   * Feature-selection gates (MMoE, CGC, PLE; ignored by other families): per task, and
   * for the shared experts, softmax(W·x + b) over the d input features; its weights
   * times d multiply the raw features before that module's first-level experts and gate.
   */
  featureGates: z.boolean({ error: 'feature gates must be true or false' }).default(false),
  /** ESMM's body: a shared bottom (the paper) or a CGC module with task-specific and shared experts. */
  esmmBottom: z.enum(['shared', 'cgc'], { error: 'ESMM bottom must be "shared" or "cgc"' }).default('shared'),
});

export const WeightingSchema = z.object({
  kind: z.enum(WEIGHTINGS, { error: `weighting must be one of ${WEIGHTINGS.join(', ')}` }).default('fixed'),
  /** ω_k (fixed) or ω_k,0 (PLE decay); default 1 for every task. */
  weights: z.array(num('task weight', 0, 100)).nullable().default(null),
  /** γ_k of PLE's ω_k,0·γ_k^epoch; default 1. */
  gammas: z.array(num('decay γ', 0, 1, { exclusiveMin: true })).nullable().default(null),
  gradnormAlpha: num('GradNorm α', 0, 10).default(1.5),
  gradnormLr: num('GradNorm learning rate', 0, 1, { exclusiveMin: true }).default(0.025),
});

export const TrainSchema = z.object({
  learningRate: num('learning rate', 0, 1, { exclusiveMin: true }).default(0.003),
  batchSize: int('batch size', 4, 8192).default(256),
  steps: int('steps', 1, 1_000_000).default(2000),
  adamEpsilon: num('Adam epsilon', 0, 1, { exclusiveMin: true }).default(1e-7),
  /** Clip gradients by global norm; 0 turns clipping off. */
  clipNorm: num('gradient clip norm', 0, 1e6).default(5),
  weighting: WeightingSchema.default(WeightingSchema.parse({})),
  initSeed: seed('init seed').default(2),
  batchSeed: seed('batch seed').default(3),
  /** Validation metrics every N steps. */
  evalEvery: int('evaluate every', 1, 1_000_000).default(100),
  /** Read the loss back every N steps (never every step on a GPU). */
  readbackEvery: int('read back every', 1, 10_000).default(10),
  /**
   * Gradient-conflict probe: every N steps, the cosine between task gradients
   * on the shared parameters (one batch; costs one backward pass per task).
   * 0 turns it off.
   */
  gradCosineEvery: int('gradient cosine every', 0, 1_000_000).default(100),
  /**
   * Report test metrics, gate statistics and the export at the step with the
   * best joint validation loss (a copy of those weights is kept), not the last.
   */
  selectBest: z.boolean({ error: 'select best must be true or false' }).default(true),
});

const ExperimentShape = z.object({
  data: DataSchema.default(DataSchema.parse({})),
  model: ModelSchema.default(ModelSchema.parse({})),
  train: TrainSchema.default(TrainSchema.parse({})),
  backend: z.enum(BACKENDS, { error: `backend must be one of ${BACKENDS.join(', ')}` }).default('auto'),
});

export const ExperimentSchema = ExperimentShape.superRefine((cfg, ctx) => {
  const K = cfg.data.tasks.length;
  const add = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const m = cfg.data.correlationMatrix;
  if (m) {
    if (m.length !== K || m.some((row) => row.length !== K)) {
      add(['data', 'correlationMatrix'], `correlation matrix must be ${K}×${K} for ${K} tasks`);
    } else {
      for (let i = 0; i < K; i++) {
        if (Math.abs(m[i][i] - 1) > 1e-9) add(['data', 'correlationMatrix', i, i], 'correlation matrix diagonal must be 1');
        for (let j = 0; j < i; j++)
          if (Math.abs(m[i][j] - m[j][i]) > 1e-9)
            add(['data', 'correlationMatrix', i, j], `correlation matrix must be symmetric (entry ${i + 1},${j + 1} ≠ ${j + 1},${i + 1})`);
      }
      if (!isPositiveSemiDefinite(m))
        add(['data', 'correlationMatrix'], 'correlation matrix is not positive semi-definite: no set of tasks can have these correlations');
    }
  } else if (cfg.data.correlation < -1 / (K - 1) - 1e-12) {
    add(['data', 'correlation'], `correlation ${cfg.data.correlation} is impossible for ${K} tasks (must be ≥ ${(-1 / (K - 1)).toFixed(3)}): the matrix is not positive semi-definite`);
  }
  if (cfg.data.relationship === 'regional') {
    // Checked only in regional mode: the default [0.9, −0.6] is impossible for 3+ tasks.
    for (const issue of regionCorrelationIssues(cfg.data.regionCorrelations, K)) add(['data', 'regionCorrelations', ...issue.path], issue.message);
    if (cfg.data.inputDim < K + 1)
      add(['data', 'inputDim'], `the regional generator needs at least ${K + 1} input dimensions for ${K} tasks (the ${K} task directions and the hidden region direction r), got ${cfg.data.inputDim}`);
  }
  const spec = cfg.model.specificExperts;
  if (Array.isArray(spec) && spec.length !== K)
    add(['model', 'specificExperts'], `specific experts: give one count per task (${K}), got ${spec.length}`);
  const specArr = Array.isArray(spec) ? spec : new Array(K).fill(spec);
  const t = cfg.model.type;
  if ((t === 'mmoe' || t === 'omoe' || t === 'ml-mmoe') && cfg.model.sharedExperts < 1)
    add(['model', 'sharedExperts'], `${MODEL_LABELS[t]} needs at least 1 shared expert: its gates would have no expert to mix`);
  if (t === 'cgc' || t === 'ple' || (t === 'esmm' && cfg.model.esmmBottom === 'cgc')) {
    specArr.forEach((n, k) => {
      if (n + cfg.model.sharedExperts < 1)
        add(['model', 'specificExperts'], `task ${k + 1}'s gate has no expert: give it a specific expert or add a shared expert`);
    });
  }
  if (t === 'adatt')
    specArr.forEach((n, k) => {
      if (n < 1) add(['model', 'specificExperts'], `AdaTT fuses task-specific expert groups: task ${k + 1} needs at least 1 specific expert`);
    });
  if (t === 'sluice') {
    const h = cfg.model.expertHidden;
    if (h.some((n) => n !== h[0]))
      add(['model', 'expertHidden'], `Sluice network: every hidden layer must have the same size, since β mixes the layers' outputs (got ${h.join(', ')})`);
    else if (h[0] % 2 !== 0)
      add(['model', 'expertHidden'], `Sluice network: the hidden size must be even, to split each layer into 2 subspaces (got ${h[0]})`);
  }
  if (t === 'esmm') {
    const types = cfg.data.tasks.map((task) => task.type);
    if (K !== 2 || types.some((tt) => tt !== 'binary'))
      add(['data', 'tasks'], `ESMM models exactly two binary tasks, click then conversion (CTR → CVR); got ${K} task${K === 1 ? '' : 's'} (${types.join(', ')})`);
    if (!cfg.data.chain)
      add(['data', 'chain'], 'ESMM needs the sample-space chain (data.chain = true): conversion is observed only after a click');
  }
  const support = cfg.data.featureSupport;
  if (support !== null && support !== undefined) {
    if (cfg.data.relationship === 'regional') add(['data', 'featureSupport'], 'sparse task features (feature support) work only with the global relationship, not the regional one');
    else if (support * K > cfg.data.inputDim)
      add(['data', 'featureSupport'], `feature support ${support} × ${K} tasks needs ${support * K} input dimensions, but d = ${cfg.data.inputDim}`);
  }
  const w = cfg.train.weighting;
  if (w.weights && w.weights.length !== K) add(['train', 'weighting', 'weights'], `task weights: give one per task (${K}), got ${w.weights.length}`);
  if (w.gammas && w.gammas.length !== K) add(['train', 'weighting', 'gammas'], `decay γ: give one per task (${K}), got ${w.gammas.length}`);
  if (cfg.data.nTrain < cfg.train.batchSize)
    add(['train', 'batchSize'], `batch size ${cfg.train.batchSize} is larger than the training set (${cfg.data.nTrain})`);
});

export type ExperimentInput = z.input<typeof ExperimentSchema>;
export type ExperimentConfig = z.output<typeof ExperimentSchema>;
export type DataConfig = ExperimentConfig['data'];
export type ModelConfig = ExperimentConfig['model'];
export type TrainConfig = ExperimentConfig['train'];

/** Config with every per-task list filled in: what the engine consumes. */
export interface ResolvedModel extends Omit<ModelConfig, 'specificExperts'> {
  specificExperts: number[];
  /** Levels actually built (1 for single-level families). */
  levels: number;
}
export interface ResolvedConfig extends Omit<ExperimentConfig, 'model' | 'train'> {
  model: ResolvedModel;
  train: TrainConfig & { weighting: TrainConfig['weighting'] & { weights: number[]; gammas: number[] } };
}

/** The families feature-selection gates apply to (model.featureGates). */
export const FEATURE_GATE_MODELS: ReadonlySet<ModelType> = new Set(['mmoe', 'cgc', 'ple']);
export const featureGatesOn = (m: Pick<ModelConfig, 'type' | 'featureGates'>): boolean => m.featureGates === true && FEATURE_GATE_MODELS.has(m.type);

export const MULTI_LEVEL: ReadonlySet<ModelType> = new Set(['ple', 'ml-mmoe', 'adatt']);

export function resolveConfig(cfg: ExperimentConfig): ResolvedConfig {
  const K = cfg.data.tasks.length;
  const spec = cfg.model.specificExperts;
  const specificExperts = Array.isArray(spec) ? [...spec] : new Array<number>(K).fill(spec);
  const levels = MULTI_LEVEL.has(cfg.model.type) ? cfg.model.levels : 1;
  const w = cfg.train.weighting;
  return {
    ...cfg,
    model: { ...cfg.model, specificExperts, levels },
    train: {
      ...cfg.train,
      weighting: { ...w, weights: w.weights ?? new Array(K).fill(1), gammas: w.gammas ?? new Array(K).fill(1) },
    },
  };
}

export class ConfigError extends Error {
  constructor(public readonly issues: { path: string; message: string }[]) {
    super(issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '));
    this.name = 'ConfigError';
  }
}

export function formatIssues(error: z.ZodError): { path: string; message: string; code?: string }[] {
  return error.issues.map((raw) => {
    let issue = raw;
    // A number-or-list field given a list with a bad entry: report that entry, not "Invalid input".
    if (issue.code === 'invalid_union') {
      const deep = issue.errors.filter((branch) => branch.some((e) => e.path.length > 0));
      if (deep.length === 1) issue = { ...deep[0][0], path: [...issue.path, ...deep[0][0].path] } as typeof issue;
    }
    const path = issue.path.map(String).join('.');
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    else if (issue.code === 'invalid_type' && !/must be/.test(message)) message = `expected ${issue.expected}`;
    return { path, message, code: issue.code };
  });
}

export type ParseResult =
  | { ok: true; config: ExperimentConfig }
  | { ok: false; issues: { path: string; message: string; code?: string }[]; message: string };

/** Validate anything (JSON, URL state, UI state) into a full config with defaults. */
export function parseExperiment(input: unknown): ParseResult {
  const r = ExperimentSchema.safeParse(input ?? {});
  if (r.success) return { ok: true, config: r.data };
  const issues = formatIssues(r.error);
  return { ok: false, issues, message: new ConfigError(issues).message };
}

export function mustParseExperiment(input: unknown): ExperimentConfig {
  const r = parseExperiment(input);
  if (!r.ok) throw new ConfigError(r.issues);
  return r.config;
}

export const DEFAULT_CONFIG: ExperimentConfig = mustParseExperiment({});
