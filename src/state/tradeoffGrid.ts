// The trade-off suite's grid, as the user sets it: which task-weight ratios
// r = ω_A / (ω_A + ω_B) and which models the seesaw-tradeoff preset sweeps.
// Pure parsing and formatting, plus a tiny store the suite box edits; the
// page store (store.ts) reads the preset through suitePreset(), which asks
// tradeoffGridPreset() for this suite, and round-trips the grid in the URL.
import { create } from 'zustand';
import { makeTradeoffPreset, TRADEOFF_MODELS, TRADEOFF_RATIOS, type SuitePreset } from '../core/config/presets';
import { MODEL_LABELS, MODEL_TYPES, type ModelType } from '../core/config/schema';

export const TRADEOFF_ID = 'seesaw-tradeoff';

/** Models that share something between the tasks (single-task is the baseline; ESMM needs a chained binary pair). */
export const TRADEOFF_PICKABLE: readonly ModelType[] = MODEL_TYPES.filter((m) => m !== 'single-task' && m !== 'esmm');

/** At most this many ratios (each one is a run per model and seed). */
export const MAX_RATIOS = 20;

export type RatioList = { ok: true; ratios: number[] } | { ok: false; message: string };

/** "0.2, 0.5, 0.8" → [0.2, 0.5, 0.8], sorted; numbers strictly between 0 and 1, at least 2, distinct at 3 decimals (the run names). */
export function parseRatioList(text: string): RatioList {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const ratios: number[] = [];
  for (const part of parts) {
    if (!/^[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(part)) return { ok: false, message: `"${part}" is not a number` };
    const r = Number(part);
    if (!(r > 0 && r < 1)) return { ok: false, message: `${part} is not strictly between 0 and 1; a weight share of 0 or 1 would drop a task` };
    ratios.push(r);
  }
  if (ratios.length < 2) return { ok: false, message: `give at least 2 ratios to draw a curve (got ${ratios.length})` };
  if (ratios.length > MAX_RATIOS) return { ok: false, message: `at most ${MAX_RATIOS} ratios (got ${ratios.length})` };
  const seen = new Map<string, number>();
  for (const r of ratios) {
    const k = r.toFixed(3);
    if (seen.has(k)) return { ok: false, message: `${seen.get(k)} and ${r} are the same ratio to 3 decimals` };
    seen.set(k, r);
  }
  return { ok: true, ratios: [...ratios].sort((a, b) => a - b) };
}

export type ModelList = { ok: true; models: ModelType[] } | { ok: false; message: string };

/** A set of picked models: at least one, each one that shares something, no repeats (kept in TRADEOFF_PICKABLE's order). */
export function checkModels(models: readonly string[]): ModelList {
  if (models.length === 0) return { ok: false, message: 'pick at least one model' };
  for (const m of models)
    if (!TRADEOFF_PICKABLE.includes(m as ModelType))
      return { ok: false, message: m === 'single-task' ? 'single-task is the baseline, always run: pick a model that shares' : `"${m}" is not a model that can be swept (one of ${TRADEOFF_PICKABLE.join(', ')})` };
  if (new Set(models).size !== models.length) return { ok: false, message: 'a model is listed twice' };
  return { ok: true, models: TRADEOFF_PICKABLE.filter((m) => models.includes(m)) };
}

/** "mmoe,ple" → the models (URL form). */
export function parseModelList(text: string): ModelList {
  return checkModels(text.split(/[\s,]+/).filter(Boolean));
}

export const formatRatios = (ratios: readonly number[]) => ratios.map((r) => String(r)).join(', ');

const sameList = <T,>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);
export const isDefaultRatios = (r: readonly number[]) => sameList(r, TRADEOFF_RATIOS);
export const isDefaultModels = (m: readonly ModelType[]) => m.length === TRADEOFF_MODELS.length && TRADEOFF_MODELS.every((x) => m.includes(x));

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "4 models × 7 ratios + 1 baseline = 29 runs per seed" (and "× 5 seeds = 145 runs" with several seeds). */
export function runCountText(models: number, ratios: number, seeds = 1): string {
  const perSeed = models * ratios + 1;
  const head = `${plural(models, 'model')} × ${plural(ratios, 'ratio')} + 1 baseline = ${plural(perSeed, 'run')} per seed`;
  return seeds > 1 ? `${head} × ${seeds} seeds = ${perSeed * seeds} runs` : head;
}

// ---------- the grid the suite box edits ----------

export interface TradeoffGridState {
  /** What the user typed in the ratios field. */
  ratiosText: string;
  /** Its problem, or null. */
  ratiosError: string | null;
  /** The last valid ratios (what the suite runs while the text is being edited). */
  ratios: number[];
  /** Picked models (may be empty while invalid). */
  models: ModelType[];
  modelsError: string | null;
}

const defaults = (): TradeoffGridState => ({
  ratiosText: formatRatios(TRADEOFF_RATIOS),
  ratiosError: null,
  ratios: [...TRADEOFF_RATIOS],
  models: [...TRADEOFF_MODELS],
  modelsError: null,
});

export const useTradeoffGrid = create<TradeoffGridState>(defaults);

export function resetTradeoffGrid(): void {
  useTradeoffGrid.setState(defaults());
}

/** Set the ratios from text (the field or a link); keeps the last valid ratios when the text is invalid. */
export function setTradeoffRatiosText(text: string): RatioList {
  const r = parseRatioList(text);
  useTradeoffGrid.setState(r.ok ? { ratiosText: text, ratiosError: null, ratios: r.ratios } : { ratiosText: text, ratiosError: r.message });
  return r;
}

export function setTradeoffModelsList(models: readonly string[]): ModelList {
  const r = checkModels(models);
  useTradeoffGrid.setState(r.ok ? { models: r.models, modelsError: null } : { models: models.filter((m): m is ModelType => TRADEOFF_PICKABLE.includes(m as ModelType)), modelsError: r.message });
  return r;
}

/** Why the suite cannot run with this grid, or null. */
export function tradeoffGridBlocker(s: TradeoffGridState = useTradeoffGrid.getState()): string | null {
  if (s.ratiosError) return `Fix the weight ratios first: ${s.ratiosError}`;
  if (s.modelsError) return `Fix the models first: ${s.modelsError}`;
  return null;
}

/** The grid's URL fields, only those that differ from the preset's defaults. */
export function tradeoffHashFields(s: TradeoffGridState = useTradeoffGrid.getState()): { ratios?: number[]; models?: ModelType[] } {
  const out: { ratios?: number[]; models?: ModelType[] } = {};
  if (!isDefaultRatios(s.ratios)) out.ratios = s.ratios;
  if (!s.modelsError && !isDefaultModels(s.models)) out.models = s.models;
  return out;
}

let memo: { key: string; preset: SuitePreset } | null = null;

/** The seesaw-tradeoff preset for the grid's valid values (the same object while they do not change). */
export function tradeoffGridPreset(s: TradeoffGridState = useTradeoffGrid.getState()): SuitePreset {
  const models = s.modelsError || s.models.length === 0 ? TRADEOFF_MODELS : s.models;
  const key = JSON.stringify([s.ratios, models]);
  if (!memo || memo.key !== key) memo = { key, preset: makeTradeoffPreset({ ratios: s.ratios, models }) };
  return memo.preset;
}

export const modelLabel = (m: ModelType) => MODEL_LABELS[m];
