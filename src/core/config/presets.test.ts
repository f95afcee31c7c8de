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

  it('mmoe-vs-cgc: MMoE with 3 shared experts vs CGC with 1 expert per module, same data', () => {
    const p = suite('mmoe-vs-cgc');
    const [mmoe, cgc] = expandPreset(p).map((r) => r.config);
    expect(mmoe.model.type).toBe('mmoe');
    expect(mmoe.model.sharedExperts).toBe(3);
    expect(cgc.model.type).toBe('cgc');
    expect(cgc.model.sharedExperts).toBe(1);
    expect(cgc.model.specificExperts).toBe(1);
    expect(cgc.data).toEqual(mmoe.data);
    expect(mmoe.data.correlation).toBeLessThan(0.9); // weakly correlated
  });

  it("seesaw: the PLE paper's nine structures plus OMoE and AdaTT, against single-task, on one regression + one binary task", () => {
    const runs = expandPreset(suite('seesaw'));
    expect(runs.map((r) => r.config.model.type).sort()).toEqual(
      ['adatt', 'asymmetric', 'cgc', 'cross-stitch', 'customized', 'ml-mmoe', 'mmoe', 'omoe', 'ple', 'shared-bottom', 'single-task', 'sluice'],
    );
    for (const r of runs) {
      expect(r.config.data.tasks.map((t) => t.type)).toEqual(['regression', 'binary']);
      expect(r.config.data).toEqual(runs[0].config.data);
    }
  });

  it('correlation-sweep: shared-bottom, OMoE, MMoE at p = 1.0, 0.9, 0.8, 0.5', () => {
    const runs = expandPreset(suite('correlation-sweep'));
    const grid = runs.map((r) => `${r.config.model.type}@${r.config.data.correlation}`).sort();
    const want = [1, 0.9, 0.8, 0.5].flatMap((p) => ['shared-bottom', 'omoe', 'mmoe'].map((t) => `${t}@${p}`)).sort();
    expect(grid).toEqual(want);
    // within one p, the models share the data
    const at09 = runs.filter((r) => r.config.data.correlation === 0.9);
    expect(at09[1].config.data).toEqual(at09[0].config.data);
  });

  it('negative-transfer: single-task and shared-bottom on tasks that do not agree', () => {
    const runs = expandPreset(suite('negative-transfer'));
    const types = runs.map((r) => r.config.model.type);
    expect(types).toContain('single-task');
    expect(types).toContain('shared-bottom');
    expect(runs[0].config.data.correlation).toBeLessThanOrEqual(0);
  });

  it('families compared in a suite have the same expert count where they have experts', () => {
    const runs = expandPreset(suite('seesaw'));
    const byType = Object.fromEntries(runs.map((r) => [r.config.model.type, r.config.model]));
    const cgcTotal = (m: (typeof byType)['cgc']) => 2 * (m.specificExperts as number) + m.sharedExperts;
    expect(byType.mmoe.sharedExperts).toBe(cgcTotal(byType.cgc));
    expect(byType.omoe.sharedExperts).toBe(byType.mmoe.sharedExperts);
    expect(cgcTotal(byType.ple)).toBe(cgcTotal(byType.cgc));
  });
});
