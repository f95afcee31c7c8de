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

  it('parses seed lists and ranges', () => {
    expect(parseSeedList('1, 2 5')).toEqual({ ok: true, seeds: [1, 2, 5] });
    expect(parseSeedList('3-6')).toEqual({ ok: true, seeds: [3, 4, 5, 6] });
    expect(parseSeedList('1,1').ok).toBe(false);
    expect(parseSeedList('x').ok).toBe(false);
    expect(parseSeedList('').ok).toBe(false);
  });
});
