import { describe, expect, it } from 'vitest';
import { PRESETS, PRESET_IDS, getPreset, type SuitePreset } from './presets';
import { parseExperiment } from './schema';
import { expandPreset } from './suite';

const suite = (id: string) => {
  const p = getPreset(id);
  if (!p || p.kind !== 'suite') throw new Error(`${id} is not a suite preset`);
  return p as SuitePreset;
};

describe('presets', () => {
  it('has the presets the issues name, with the titles the page shows', () => {
    expect(PRESET_IDS).toEqual(expect.arrayContaining(['mmoe-vs-cgc', 'seesaw', 'correlation-sweep', 'negative-transfer', 'expert-utilisation']));
    expect(new Set(PRESET_IDS).size).toBe(PRESET_IDS.length);
    expect(getPreset('mmoe-vs-cgc')!.title).toBe('MMoE vs CGC gate usage');
    expect(getPreset('seesaw')!.title).toBe('Seesaw');
    expect(getPreset('correlation-sweep')!.title).toBe('Correlation sweep');
    expect(getPreset('negative-transfer')!.title).toBe('Negative transfer');
    expect(getPreset('nope')).toBeUndefined();
  });

  it.each(PRESETS.map((p) => [p.id, p] as const))('%s: every config validates, names are unique and folder-safe', (_id, p) => {
    const configs = p.kind === 'single' ? [p.config] : p.variants.map((v) => v.config);
    for (const c of configs) {
      const r = parseExperiment(c);
      expect(r.ok ? 'ok' : r.message).toBe('ok');
    }
    if (p.kind === 'suite') {
      const names = p.variants.map((v) => v.name);
      expect(new Set(names).size).toBe(names.length);
      for (const n of names) expect(n).toMatch(/^[a-z0-9][a-z0-9.-]*$/);
    }
    expect(p.description.length).toBeGreaterThan(80);
    expect(p.steps).toBeGreaterThanOrEqual(100);
    // the expanded runs (seeds, steps, evalEvery applied) validate too
    expect(expandPreset(p).length).toBe(p.kind === 'single' ? 1 : p.variants.length);
  });

  it('mmoe-vs-cgc: MMoE with 3 shared experts vs CGC with 1 expert per module, same regional data', () => {
    const p = suite('mmoe-vs-cgc');
    const [mmoe, cgc] = expandPreset(p).map((r) => r.config);
    expect(mmoe.model.type).toBe('mmoe');
    expect(mmoe.model.sharedExperts).toBe(3);
    expect(cgc.model.type).toBe('cgc');
    expect(cgc.model.sharedExperts).toBe(1);
    expect(cgc.model.specificExperts).toBe(1);
    expect(cgc.data).toEqual(mmoe.data);
    expect(mmoe.data.relationship).toBe('regional');
  });

  it('expert-utilisation: CGC with and without a gate bias, on the same data', () => {
    const runs = expandPreset(suite('expert-utilisation')).map((r) => r.config);
    const cgc = runs.filter((c) => c.model.type === 'cgc');
    expect(cgc.map((c) => c.model.gateBias).sort()).toEqual([false, true]);
    expect(cgc[0].data).toEqual(cgc[1].data);
  });

  it("seesaw: the PLE paper's nine structures plus OMoE and AdaTT, against single-task, on one raw regression + one binary task, plus Shared-Bottom with uncertainty weighting", () => {
    const runs = expandPreset(suite('seesaw'));
    expect(runs.map((r) => r.config.model.type).sort()).toEqual(
      ['adatt', 'asymmetric', 'cgc', 'cross-stitch', 'customized', 'ml-mmoe', 'mmoe', 'omoe', 'ple', 'shared-bottom', 'shared-bottom', 'single-task', 'sluice'],
    );
    for (const r of runs) {
      expect(r.config.data.tasks.map((t) => t.type)).toEqual(['regression', 'binary']);
      expect(r.config.data).toEqual(runs[0].config.data);
      expect(r.config.data.standardizeTargets).toBe(false);
    }
    expect(runs.filter((r) => r.config.train.weighting.kind === 'uncertainty').map((r) => r.variant)).toEqual(['shared-bottom-uncertainty']);
  });

  it("correlation-sweep: shared-bottom, OMoE, MMoE at p = 1.0, 0.9, 0.5, at the MMoE paper's sizes", () => {
    const runs = expandPreset(suite('correlation-sweep'));
    const grid = runs.map((r) => `${r.config.model.type}@${r.config.data.correlation}`).sort();
    const want = [1, 0.9, 0.5].flatMap((p) => ['shared-bottom', 'omoe', 'mmoe'].map((t) => `${t}@${p}`)).sort();
    expect(grid).toEqual(want);
    const at09 = runs.filter((r) => r.config.data.correlation === 0.9);
    expect(at09[1].config.data).toEqual(at09[0].config.data);
    const mmoe = at09.find((r) => r.config.model.type === 'mmoe')!.config.model;
    expect([mmoe.sharedExperts, mmoe.expertHidden, mmoe.towerHidden]).toEqual([8, [16], [8]]);
    expect(at09.find((r) => r.config.model.type === 'shared-bottom')!.config.model.expertHidden).toEqual([113]);
  });

  it('negative-transfer: single-task against MMoE at its last and its best validation step, at 2,000 rows', () => {
    const runs = expandPreset(suite('negative-transfer'));
    expect(runs.map((r) => r.variant)).toEqual(['single-task', 'mmoe-last-step', 'mmoe', 'mmoe-small']);
    expect(runs.map((r) => r.config.train.selectBest)).toEqual([true, false, true, false]);
    for (const r of runs) expect(r.config.data.nTrain).toBe(2000);
  });

  it('families compared in a suite have the same expert count where they have experts', () => {
    const runs = expandPreset(suite('seesaw'));
    const byType = Object.fromEntries(runs.filter((r) => r.variant === r.config.model.type).map((r) => [r.config.model.type, r.config.model]));
    const cgcTotal = (m: (typeof byType)['cgc']) => 2 * (m.specificExperts as number) + m.sharedExperts;
    expect(byType.mmoe.sharedExperts).toBe(cgcTotal(byType.cgc));
    expect(byType.omoe.sharedExperts).toBe(byType.mmoe.sharedExperts);
    expect(cgcTotal(byType.ple)).toBe(cgcTotal(byType.cgc));
  });
});
