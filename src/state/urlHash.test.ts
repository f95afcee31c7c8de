import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, mustParseExperiment } from '../core/config/schema';
import { parseSeedList, readHash, writeHash } from './urlHash';

describe('URL hash', () => {
  it('round-trips a single config as its difference from the defaults', () => {
    const cfg = mustParseExperiment({ model: { type: 'mmoe', sharedExperts: 5 }, data: { correlation: 0.8 }, backend: 'wasm' });
    const hash = writeHash({ presetId: null, seeds: null, config: cfg as unknown as Record<string, unknown> });
    expect(hash.length).toBeLessThan(200);
    const r = readHash(hash);
    expect(r.ok).toBe(true);
    if (!r.ok || !r.state) throw new Error('no state');
    expect(mustParseExperiment(r.state.config)).toEqual(cfg);
  });

  it('writes the defaults as an empty config', () => {
    expect(writeHash({ presetId: null, seeds: null, config: DEFAULT_CONFIG as unknown as Record<string, unknown> })).toBe('#config=%7B%7D');
  });

  it('round-trips a suite preset with seeds and overrides', () => {
    const hash = writeHash({ presetId: 'seesaw', seeds: [1, 2, 3], config: { train: { steps: 120 } } });
    const r = readHash(hash);
    expect(r).toEqual({ ok: true, state: { presetId: 'seesaw', seeds: [1, 2, 3], config: { train: { steps: 120 } } } });
  });

  it('rejects malformed links with a readable notice', () => {
    const bad = ['#config=%7Bnope', '#config=%5B1%5D', '#preset=nope', '#preset=seesaw&seeds=0', '#config=' + encodeURIComponent('{"train":{"learningRate":-1}}'), '#foo=bar'];
    for (const h of bad) {
      const r = readHash(h);
      expect(r.ok, h).toBe(false);
      if (!r.ok) expect(r.notice, h).toMatch(/defaults/);
    }
    expect(readHash('')).toEqual({ ok: true, state: null });
  });

  it('round-trips the gate bias, target standardisation, task seed and best-step selection', () => {
    const cfg = mustParseExperiment({ model: { type: 'cgc', gateBias: false }, data: { standardizeTargets: false, taskSeed: 77 }, train: { selectBest: false } });
    const hash = writeHash({ presetId: null, seeds: null, config: cfg as unknown as Record<string, unknown> });
    for (const f of ['gateBias', 'standardizeTargets', 'taskSeed', 'selectBest']) expect(decodeURIComponent(hash), f).toContain(f);
    const r = readHash(hash);
    if (!r.ok || !r.state) throw new Error('no state');
    const back = mustParseExperiment(r.state.config);
    expect(back).toEqual(cfg);
    expect([back.model.gateBias, back.data.standardizeTargets, back.data.taskSeed, back.train.selectBest]).toEqual([false, false, 77, false]);
    // The defaults (bias on, standardised, no task seed, best step) write nothing.
    const d = mustParseExperiment({ model: { type: 'cgc' } });
    expect(decodeURIComponent(writeHash({ presetId: null, seeds: null, config: d as unknown as Record<string, unknown> }))).toBe('#config={"model":{"type":"cgc"}}');
  });

  it('an old link without the new fields loads with their defaults', () => {
    const old = '#config=' + encodeURIComponent(JSON.stringify({ model: { type: 'cgc', specificExperts: 1, sharedExperts: 1 }, data: { correlation: 0.3 }, train: { steps: 500 } }));
    const r = readHash(old);
    if (!r.ok || !r.state) throw new Error('no state');
    const cfg = mustParseExperiment(r.state.config);
    expect(cfg.model.gateBias).toBe(true);
    expect(cfg.data.standardizeTargets).toBe(true);
    expect(cfg.data.taskSeed).toBeNull();
    expect(cfg.train.selectBest).toBe(true);
    // An explicit null task seed is the default too.
    const n = readHash('#config=' + encodeURIComponent(JSON.stringify({ data: { taskSeed: null } })));
    expect(n.ok && n.state && mustParseExperiment(n.state.config).data.taskSeed).toBeNull();
  });

  it('refuses a link with a malformed new field and says which', () => {
    const cases: [unknown, RegExp][] = [
      [{ model: { gateBias: 'yes' } }, /gate bias must be true or false/],
      [{ data: { standardizeTargets: 1 } }, /standardise targets must be true or false/],
      [{ data: { taskSeed: 0 } }, /Task seed: must be a whole number from 1 to 2147483647 \(got 0\)/],
      [{ data: { taskSeed: 'x' } }, /Task seed: must be a whole number/],
      [{ train: { selectBest: 'no' } }, /select best must be true or false/],
    ];
    for (const [cfg, msg] of cases) {
      const r = readHash('#config=' + encodeURIComponent(JSON.stringify(cfg)));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.notice).toMatch(msg);
    }
  });

  it('round-trips the regional generator: relationship, region correlations (numbers or a matrix) and the sine weight', () => {
    const cfg = mustParseExperiment({ data: { relationship: 'regional', regionCorrelations: [0.8, -0.9], sineScale: 0.3 } });
    const hash = writeHash({ presetId: null, seeds: null, config: cfg as unknown as Record<string, unknown> });
    expect(decodeURIComponent(hash)).toBe('#config={"data":{"sineScale":0.3,"relationship":"regional","regionCorrelations":[0.8,-0.9]}}');
    const r = readHash(hash);
    if (!r.ok || !r.state) throw new Error('no state');
    const back = mustParseExperiment(r.state.config);
    expect(back).toEqual(cfg);
    expect([back.data.relationship, back.data.regionCorrelations, back.data.sineScale]).toEqual(['regional', [0.8, -0.9], 0.3]);
    // A matrix entry (3 tasks) survives the link as it is.
    const m = [
      [1, 0.5, 0.2],
      [0.5, 1, 0.1],
      [0.2, 0.1, 1],
    ];
    const three = mustParseExperiment({
      data: { tasks: [{ type: 'regression' }, { type: 'regression' }, { type: 'binary' }], relationship: 'regional', regionCorrelations: [m, -0.4] },
    });
    const r3 = readHash(writeHash({ presetId: null, seeds: null, config: three as unknown as Record<string, unknown> }));
    if (!r3.ok || !r3.state) throw new Error('no state');
    expect(mustParseExperiment(r3.state.config).data.regionCorrelations).toEqual([m, -0.4]);
    // The defaults (global, [0.9, −0.6], s = 1) write nothing; an old link loads them.
    expect(writeHash({ presetId: null, seeds: null, config: mustParseExperiment({}) as unknown as Record<string, unknown> })).toBe('#config=%7B%7D');
    const old = readHash('#config=' + encodeURIComponent(JSON.stringify({ data: { correlation: 0.3 } })));
    if (!old.ok || !old.state) throw new Error('no state');
    const d = mustParseExperiment(old.state.config).data;
    expect([d.relationship, d.regionCorrelations, d.sineScale]).toEqual(['global', [0.9, -0.6], 1]);
  });

  it('refuses a link with impossible regional settings and says why in words', () => {
    const three = [{ type: 'regression' }, { type: 'regression' }, { type: 'regression' }];
    const cases: [unknown, RegExp][] = [
      [{ data: { tasks: three, relationship: 'regional', regionCorrelations: [0.9, -0.9] } }, /region 2 correlation -0\.9 is impossible for 3 tasks \(must be ≥ -0\.500\)/],
      [{ data: { relationship: 'regional', regionCorrelations: [0.9] } }, /give exactly 2 \(region 1: rᵀx ≤ 0, region 2: rᵀx > 0\)/],
      [{ data: { relationship: 'sideways' } }, /relationship must be "global" or "regional"/],
      [{ data: { sineScale: 11 } }, /Sine weight s: must be a number from 0 to 10 \(got 11\)/],
      [{ data: { relationship: 'regional', regionCorrelations: [[[1, 2], [2, 1]], 0.5] } }, /Correlation in region 1 \(rᵀx ≤ 0\): the entry in row 1, column 2 must be a number from -1 to 1 \(got 2\)/],
    ];
    for (const [cfg, msg] of cases) {
      const r = readHash('#config=' + encodeURIComponent(JSON.stringify(cfg)));
      expect(r.ok, JSON.stringify(cfg)).toBe(false);
      if (!r.ok) expect(r.notice).toMatch(msg);
    }
    // The global mode does not check the regions (the default −0.6 is impossible for 3 tasks, but unused).
    expect(readHash('#config=' + encodeURIComponent(JSON.stringify({ data: { tasks: three } }))).ok).toBe(true);
  });

  it('parses seed lists and ranges', () => {
    expect(parseSeedList('1, 2 5')).toEqual({ ok: true, seeds: [1, 2, 5] });
    expect(parseSeedList('3-6')).toEqual({ ok: true, seeds: [3, 4, 5, 6] });
    expect(parseSeedList('1,1').ok).toBe(false);
    expect(parseSeedList('x').ok).toBe(false);
    expect(parseSeedList('').ok).toBe(false);
  });
});
