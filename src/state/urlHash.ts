// The URL hash holds the whole experiment, so a link reproduces it:
//   #config=<JSON>                      one run: the config's difference from the defaults
//   #preset=<id>&seeds=1,2&config=<JSON> a suite preset: seeds and overrides applied to every run
//   #preset=seesaw-tradeoff&ratios=0.2,0.8&models=mmoe,ple  the trade-off sweep's grid (tradeoffGrid.ts)
// Everything read from a hash is validated; anything malformed falls back to
// defaults and the caller shows the returned notice.
import { getPreset } from '../core/config/presets';
import { DEFAULT_CONFIG, parseExperiment, type ModelType } from '../core/config/schema';
import { diff, isPlainObject } from './configEdit';
import { describeIssues, issueContext } from './issueText';
import { parseModelList, parseRatioList, TRADEOFF_ID } from './tradeoffGrid';

export interface HashState {
  presetId: string | null;
  seeds: number[] | null;
  /** Raw config object from the hash (single: full input; suite: overrides). */
  config: Record<string, unknown>;
  /** The trade-off sweep's grid (preset seesaw-tradeoff only); absent fields keep the preset's defaults. */
  tradeoff?: { ratios?: number[]; models?: ModelType[] };
}

/** `notices`: values of the link that were invalid and replaced by the preset's defaults (the rest of the link still loads). */
export type HashRead = { ok: true; state: HashState | null; notices?: string[] } | { ok: false; notice: string };

export function readHash(hash: string): HashRead {
  const raw = hash.replace(/^#/, '');
  if (!raw) return { ok: true, state: null };
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(raw);
  } catch {
    return { ok: false, notice: 'The link is malformed; loaded the defaults instead.' };
  }
  const presetId = params.get('preset');
  if (presetId !== null && !getPreset(presetId))
    return { ok: false, notice: `The link names an unknown preset "${presetId}"; loaded the defaults instead.` };
  let seeds: number[] | null = null;
  const seedText = params.get('seeds');
  if (seedText !== null) {
    const parsed = parseSeedList(seedText);
    if (!parsed.ok) return { ok: false, notice: `The link's seeds are invalid (${parsed.message}); loaded the defaults instead.` };
    seeds = parsed.seeds;
  }
  let config: Record<string, unknown> = {};
  const text = params.get('config');
  if (text !== null) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, notice: 'The config in the link is not valid JSON; loaded the defaults instead.' };
    }
    if (!isPlainObject(json)) return { ok: false, notice: 'The config in the link is not an object; loaded the defaults instead.' };
    config = json;
  }
  if (!presetId) {
    const r = parseExperiment(config);
    if (!r.ok) return { ok: false, notice: `The config in the link is invalid (${describeIssues(r.issues, issueContext(config))}); loaded the defaults instead.` };
  }
  if (!presetId && text === null && seedText === null) return { ok: false, notice: 'The link has no config; loaded the defaults instead.' };
  const grid = readTradeoffGrid(params, presetId);
  return { ok: true, state: { presetId, seeds, config, ...(grid.tradeoff ? { tradeoff: grid.tradeoff } : {}) }, ...(grid.notices.length ? { notices: grid.notices } : {}) };
}

/** `ratios=` and `models=` of a trade-off link; an invalid value is dropped (the preset's default stays) with a notice saying so. */
function readTradeoffGrid(params: URLSearchParams, presetId: string | null): { tradeoff?: HashState['tradeoff']; notices: string[] } {
  const ratioText = params.get('ratios');
  const modelText = params.get('models');
  const notices: string[] = [];
  if (ratioText === null && modelText === null) return { notices };
  if (presetId !== TRADEOFF_ID) {
    notices.push(`The link's ${[ratioText !== null && 'ratios', modelText !== null && 'models'].filter(Boolean).join(' and ')} apply only to the "${TRADEOFF_ID}" preset; ignored them.`);
    return { notices };
  }
  const tradeoff: NonNullable<HashState['tradeoff']> = {};
  if (ratioText !== null) {
    const r = parseRatioList(ratioText);
    if (r.ok) tradeoff.ratios = r.ratios;
    else notices.push(`The link's weight ratios "${ratioText}" are invalid (${r.message}); used the preset's ratios instead.`);
  }
  if (modelText !== null) {
    const m = parseModelList(modelText);
    if (m.ok) tradeoff.models = m.models;
    else notices.push(`The link's models "${modelText}" are invalid (${m.message}); used the preset's models instead.`);
  }
  return { tradeoff: Object.keys(tradeoff).length ? tradeoff : undefined, notices };
}

export function writeHash(state: HashState): string {
  const params = new URLSearchParams();
  if (state.presetId) params.set('preset', state.presetId);
  if (state.seeds) params.set('seeds', state.seeds.join(','));
  if (state.tradeoff?.ratios) params.set('ratios', state.tradeoff.ratios.join(','));
  if (state.tradeoff?.models) params.set('models', state.tradeoff.models.join(','));
  const body = state.presetId ? state.config : (diff(state.config, DEFAULT_CONFIG) ?? {});
  if (Object.keys(body as object).length || !state.presetId) params.set('config', JSON.stringify(body));
  return '#' + params.toString();
}

export type SeedList = { ok: true; seeds: number[] } | { ok: false; message: string };

/** "1, 2, 5" or "1-5" → seeds; whole numbers 1..1e9, distinct, at most 20. */
export function parseSeedList(text: string): SeedList {
  const seeds: number[] = [];
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (range) {
      const a = Number(range[1]);
      const b = Number(range[2]);
      if (b < a || b - a > 50) return { ok: false, message: `range ${part} is not valid` };
      for (let s = a; s <= b; s++) seeds.push(s);
    } else if (/^\d+$/.test(part)) seeds.push(Number(part));
    else return { ok: false, message: `"${part}" is not a whole number` };
  }
  if (seeds.length === 0) return { ok: false, message: 'give at least one seed' };
  if (seeds.length > 20) return { ok: false, message: 'at most 20 seeds' };
  if (seeds.some((s) => s < 1 || s > 1e9)) return { ok: false, message: 'seeds must be between 1 and 1000000000' };
  if (new Set(seeds).size !== seeds.length) return { ok: false, message: 'seeds must be distinct' };
  return { ok: true, seeds };
}
