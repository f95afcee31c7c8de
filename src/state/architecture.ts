// The structure of a model as the diagram draws it: levels of expert modules
// (one per task, one shared) and gates, then towers. Mirrors the engine's plan
// (src/core/models/gatedExperts.ts) without importing it: that file pulls TF.js.
import { featureGatesOn, MULTI_LEVEL, type ExperimentConfig, type ModelType } from '../core/config/schema';
// TF-free by design: the model's own plan, so the diagram draws what the engine builds.
import { planAdatt } from '../core/models/adattPlan';

export interface ArchModule {
  /** 'task:<k>' | 'shared' */
  id: string;
  label: string;
  count: number;
  /** The stream each expert reads when they differ (ML-MMoE above level 1: expert i reads gate 'expert:<i>'). */
  expertInputs?: string[];
}
export interface ArchGate {
  /** 'task:<k>' | 'shared' | 'expert:<i>' (ML-MMoE: the gate feeding next-level expert i) */
  id: string;
  label: string;
  /** Experts it mixes, as (module, index). */
  experts: { module: string; index: number }[];
  /** The diagram row it sits in: 'task:<k>' | 'shared'. */
  stream: string;
  /** The stream it reads: its own row's previous output, or 'input' (every ML-MMoE gate selects on the raw input). */
  reads: string;
}
export interface ArchLevel {
  level: number;
  modules: ArchModule[];
  gates: ArchGate[];
}
export interface Architecture {
  model: ModelType;
  K: number;
  taskNames: string[];
  /** Gated families: levels of experts + gates. */
  levels: ArchLevel[];
  /**
   * Ungated families: 'columns' = one bottom per task, 'shared' = one bottom,
   * 'stitch' / 'sluice' = columns mixed after each layer, 'asymmetric' = tower k
   * also reads column k−1 without gradient, 'customized' = columns + a shared
   * bottom, 'esmm' = shared bottom with pCTCVR = pCTR·pCVR.
   */
  bottom: 'columns' | 'shared' | 'stitch' | 'sluice' | 'asymmetric' | 'customized' | 'esmm' | null;
  /** AdaTT: each task gate also adds its own experts back (residual). */
  residual: boolean;
  bottomLayers: number;
  /** Tower k reads the output of this stream ('task:<k>' for task gates, 'shared' for OMoE's single gate). */
  towerInput: string[];
  /** model.featureGates: the rows ('task:<k>', 'shared') whose first-level modules read a feature-gated input; [] when off. */
  featureGates: string[];
  /** ESMM's pCTCVR = pCTR·pCVR on top (shared bottom, or levels for esmmBottom "cgc"). */
  esmm: boolean;
}

const GATED: ReadonlySet<ModelType> = new Set(['omoe', 'mmoe', 'ml-mmoe', 'cgc', 'ple', 'adatt']);
const BOTTOMS: Partial<Record<ModelType, NonNullable<Architecture['bottom']>>> = {
  'single-task': 'columns',
  'shared-bottom': 'shared',
  'cross-stitch': 'stitch',
  sluice: 'sluice',
  asymmetric: 'asymmetric',
  customized: 'customized',
  esmm: 'esmm',
};

export function taskName(cfg: ExperimentConfig, k: number): string {
  return cfg.data.tasks[k]?.name || `Task ${k + 1}`;
}

export function planArchitecture(cfg: ExperimentConfig): Architecture {
  // ESMM over a CGC bottom: CGC's levels, with ESMM's product on top.
  if (cfg.model.type === 'esmm' && cfg.model.esmmBottom === 'cgc')
    return { ...planArchitecture({ ...cfg, model: { ...cfg.model, type: 'cgc', featureGates: false } }), model: 'esmm', esmm: true };
  const K = cfg.data.tasks.length;
  const t = cfg.model.type;
  const taskNames = Array.from({ length: K }, (_, k) => taskName(cfg, k));
  if (!GATED.has(t)) {
    const bottom = BOTTOMS[t] ?? 'columns';
    return { model: t, K, taskNames, levels: [], bottom, bottomLayers: cfg.model.expertHidden.length, towerInput: taskNames.map((_, k) => `task:${k}`), residual: false, featureGates: [], esmm: t === 'esmm' };
  }
  const L = MULTI_LEVEL.has(t) ? cfg.model.levels : 1;
  const spec = cfg.model.specificExperts;
  const specificArr = Array.from({ length: K }, (_, k) => (Array.isArray(spec) ? (spec[k] ?? 0) : spec));
  if (t === 'adatt') {
    const plan = planAdatt(K, L, specificArr, cfg.model.sharedExperts);
    const levels: ArchLevel[] = plan.levels.map((lvl) => ({
      level: lvl.level,
      modules: lvl.modules.map((m) => ({ id: m.id, label: m.id === 'shared' ? 'Shared' : taskNames[Number(m.id.slice(5))], count: m.count })),
      gates: lvl.gates.map((g) => ({
        id: g.id,
        label: g.id === 'shared' ? 'Shared gate' : `Gate ${taskNames[Number(g.id.slice(5))]}`,
        experts: g.experts.map((e) => ({ module: e.module, index: e.index })),
        stream: g.id,
        reads: lvl.level === 0 ? 'input' : g.id,
      })),
    }));
    return { model: t, K, taskNames, levels, bottom: null, bottomLayers: 0, towerInput: taskNames.map((_, k) => `task:${k}`), residual: true, featureGates: [], esmm: false };
  }
  const specific = (k: number) => (t === 'cgc' || t === 'ple' ? specificArr[k] : 0);
  const fg = featureGatesOn(cfg.model);
  const levels: ArchLevel[] = [];
  const S = cfg.model.sharedExperts;
  for (let level = 0; level < L; level++) {
    const modules: ArchModule[] = [];
    for (let k = 0; k < K; k++) modules.push({ id: `task:${k}`, label: taskNames[k], count: specific(k) });
    const shared: ArchModule = { id: 'shared', label: 'Shared', count: S };
    // ML-MMoE (PLE paper; Meta's MLMMoE): above level 1, shared expert i reads the gate made for it.
    if (t === 'ml-mmoe' && level > 0) shared.expertInputs = Array.from({ length: S }, (_, i) => `expert:${i}`);
    modules.push(shared);
    const expertsOf = (m: ArchModule) => Array.from({ length: m.count }, (_, i) => ({ module: m.id, index: i }));
    // With feature gates, the first level's gates read their row's gated input (the diagram's 'task:<k>' / 'shared' before level 1).
    const reads = (own: string) => (level === 0 ? (fg ? own : 'input') : t === 'ml-mmoe' ? 'input' : own);
    const gates: ArchGate[] = [];
    if (t === 'omoe') gates.push({ id: 'shared', label: 'Gate (all tasks)', experts: expertsOf(shared), stream: 'shared', reads: 'input' });
    else if (t === 'ml-mmoe' && level < L - 1) {
      for (let i = 0; i < S; i++)
        gates.push({ id: `expert:${i}`, label: `Gate → level ${level + 2} expert ${i + 1}`, experts: expertsOf(shared), stream: 'shared', reads: 'input' });
    } else {
      for (let k = 0; k < K; k++)
        gates.push({ id: `task:${k}`, label: `Gate ${taskNames[k]}`, experts: [...expertsOf(modules[k]), ...expertsOf(shared)], stream: `task:${k}`, reads: reads(`task:${k}`) });
      if (level < L - 1 && t !== 'ml-mmoe') gates.push({ id: 'shared', label: 'Shared gate', experts: modules.flatMap(expertsOf), stream: 'shared', reads: reads('shared') });
    }
    levels.push({ level, modules, gates });
  }
  const towerInput = taskNames.map((_, k) => (t === 'omoe' ? 'shared' : `task:${k}`));
  // The rows that read the input at level 1: every task (its experts or gate), and the shared row if it has experts or a gate.
  const first = levels[0];
  const featureGates = fg ? [...taskNames.map((_, k) => `task:${k}`), ...(first.modules[K].count > 0 || first.gates.some((g) => g.id === 'shared') ? ['shared'] : [])] : [];
  return { model: t, K, taskNames, levels, bottom: null, bottomLayers: 0, towerInput, residual: false, featureGates, esmm: false };
}
