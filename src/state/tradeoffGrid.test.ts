// The trade-off grid: parsing the ratios field and the models, the run
// count, and the URL hash round trip (invalid values named in a notice while
// the rest of the link still loads).
import { beforeEach, describe, expect, it } from 'vitest';
import { TRADEOFF_MODELS, TRADEOFF_RATIOS } from '../core/config/presets';
import { suitePreset } from './suiteSetup';
import {
  checkModels,
  parseModelList,
  parseRatioList,
  resetTradeoffGrid,
  runCountText,
  setTradeoffModelsList,
  setTradeoffRatiosText,
  tradeoffGridBlocker,
  tradeoffGridPreset,
  tradeoffHashFields,
  useTradeoffGrid,
} from './tradeoffGrid';
import { readHash, writeHash } from './urlHash';

beforeEach(resetTradeoffGrid);

describe('weight ratios field', () => {
  it('reads comma- or space-separated numbers strictly between 0 and 1, sorted', () => {
    expect(parseRatioList('0.8, 0.2,0.5')).toEqual({ ok: true, ratios: [0.2, 0.5, 0.8] });
    expect(parseRatioList(' .25 0.75 ')).toEqual({ ok: true, ratios: [0.25, 0.75] });
  });

  it('says what is wrong in plain words', () => {
    const msg = (t: string) => {
      const r = parseRatioList(t);
      return r.ok ? null : r.message;
    };
    expect(msg('0.5')).toMatch(/at least 2 ratios/);
    expect(msg('')).toMatch(/at least 2 ratios/);
    expect(msg('0.2, 1')).toMatch(/1 is not strictly between 0 and 1/);
    expect(msg('0, 0.5')).toMatch(/0 is not strictly between 0 and 1/);
    expect(msg('0.2, -0.3')).toMatch(/not a number|not strictly/);
    expect(msg('0.2, abc')).toMatch(/"abc" is not a number/);
    expect(msg('0.2, 0.2001')).toMatch(/same ratio to 3 decimals/);
    expect(msg(Array.from({ length: 21 }, (_, i) => (i + 1) / 22).join(','))).toMatch(/at most 20/);
  });

  it('models: at least one, only models that share, no repeats', () => {
    expect(parseModelList('ple,mmoe')).toEqual({ ok: true, models: ['mmoe', 'ple'] });
    expect(checkModels([])).toEqual({ ok: false, message: 'pick at least one model' });
    expect(parseModelList('single-task').ok).toBe(false);
    expect(parseModelList('esmm').ok).toBe(false);
    expect(parseModelList('mmoe,nope')).toMatchObject({ ok: false, message: expect.stringMatching(/"nope"/) });
    expect(parseModelList('mmoe,mmoe').ok).toBe(false);
  });

  it('states the run count', () => {
    expect(runCountText(4, 7)).toBe('4 models × 7 ratios + 1 baseline = 29 runs per seed');
    expect(runCountText(5, 7)).toBe('5 models × 7 ratios + 1 baseline = 36 runs per seed');
    expect(runCountText(1, 2, 3)).toBe('1 model × 2 ratios + 1 baseline = 3 runs per seed × 3 seeds = 9 runs');
  });
});

describe('the grid rebuilds the suite', () => {
  it('defaults to the preset', () => {
    const p = tradeoffGridPreset();
    expect(p.tradeoff).toEqual({ ratios: TRADEOFF_RATIOS, models: TRADEOFF_MODELS });
    expect(p.variants).toHaveLength(TRADEOFF_MODELS.length * TRADEOFF_RATIOS.length + 1);
    expect(tradeoffHashFields()).toEqual({});
  });

  it('follows valid edits, keeps the last valid ratios while the text is invalid, and blocks Play', () => {
    setTradeoffRatiosText('0.2, 0.8');
    setTradeoffModelsList(['mmoe', 'cgc', 'adatt']);
    const p = suitePreset('seesaw-tradeoff')!;
    expect(p.tradeoff).toEqual({ ratios: [0.2, 0.8], models: ['mmoe', 'cgc', 'adatt'] });
    expect(p.variants.map((v) => v.name)).toEqual(['single-task', 'mmoe-w0.200', 'mmoe-w0.800', 'cgc-w0.200', 'cgc-w0.800', 'adatt-w0.200', 'adatt-w0.800']);
    expect(suitePreset('seesaw-tradeoff')).toBe(p); // memoised while the grid does not change
    setTradeoffRatiosText('0.2, 1.5');
    expect(useTradeoffGrid.getState().ratios).toEqual([0.2, 0.8]);
    expect(tradeoffGridBlocker()).toMatch(/^Fix the weight ratios first: 1\.5 is not strictly between 0 and 1/);
    setTradeoffRatiosText('0.3, 0.7');
    setTradeoffModelsList([]);
    expect(tradeoffGridBlocker()).toBe('Fix the models first: pick at least one model');
    expect(suitePreset('seesaw-tradeoff')!.tradeoff!.models).toEqual(TRADEOFF_MODELS);
    // Other presets are untouched.
    expect(suitePreset('seesaw')!.tradeoff).toBeUndefined();
  });
});

describe('URL hash of the grid', () => {
  it('round-trips ratios and models', () => {
    setTradeoffRatiosText('0.2, 0.5, 0.8');
    setTradeoffModelsList(['mmoe', 'ple']);
    const hash = writeHash({ presetId: 'seesaw-tradeoff', seeds: null, config: {}, tradeoff: tradeoffHashFields() });
    const r = readHash(hash);
    expect(r).toEqual({ ok: true, state: { presetId: 'seesaw-tradeoff', seeds: null, config: {}, tradeoff: { ratios: [0.2, 0.5, 0.8], models: ['mmoe', 'ple'] } } });
  });

  it('reads the brief form with raw commas', () => {
    const r = readHash('#preset=seesaw-tradeoff&ratios=0.2,0.8');
    expect(r.ok && r.state?.tradeoff).toEqual({ ratios: [0.2, 0.8] });
    expect(r.ok && r.notices).toBeUndefined();
  });

  it('names an invalid value and keeps the rest of the link', () => {
    const r = readHash('#preset=seesaw-tradeoff&ratios=0.2,1.5&models=mmoe&seeds=2');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state).toMatchObject({ presetId: 'seesaw-tradeoff', seeds: [2], tradeoff: { models: ['mmoe'] } });
    expect(r.state?.tradeoff?.ratios).toBeUndefined();
    expect(r.notices).toEqual(['The link\'s weight ratios "0.2,1.5" are invalid (1.5 is not strictly between 0 and 1; a weight share of 0 or 1 would drop a task); used the preset\'s ratios instead.']);
    const m = readHash('#preset=seesaw-tradeoff&models=');
    expect(m.ok && m.notices?.[0]).toMatch(/models "" are invalid \(pick at least one model\)/);
  });

  it('ignores a grid on another preset, saying so', () => {
    const r = readHash('#preset=seesaw&ratios=0.2,0.8');
    expect(r.ok && r.state?.tradeoff).toBeUndefined();
    expect(r.ok && r.notices?.[0]).toMatch(/apply only to the "seesaw-tradeoff" preset/);
  });

  it('writes nothing for the default grid', () => {
    expect(writeHash({ presetId: 'seesaw-tradeoff', seeds: null, config: {}, tradeoff: tradeoffHashFields() })).toBe('#preset=seesaw-tradeoff');
  });
});
