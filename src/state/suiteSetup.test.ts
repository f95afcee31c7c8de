import { describe, expect, it } from 'vitest';
import { getPreset, type SuitePreset } from '../core/config/presets';
import { deepMerge } from './configEdit';
import { buildSuiteRuns, suiteBase, suiteOverrides } from './suiteSetup';

const preset = (id: string) => getPreset(id) as SuitePreset;

describe('suite presets in the form', () => {
  it('locks what the suite varies and the seed scheme, nothing else', () => {
    const { locked } = suiteBase(preset('mmoe-vs-cgc'), [1], 200);
    expect(locked.has('model.type')).toBe(true);
    expect(locked.has('model.sharedExperts')).toBe(true);
    expect(locked.has('data.seed')).toBe(true);
    expect(locked.has('train.learningRate')).toBe(false);
    expect(locked.has('data.correlation')).toBe(false);
    expect(suiteBase(preset('correlation-sweep'), [1], 200).locked.has('data.correlation')).toBe(true);
  });

  it('applies the form edits to every run, but never the locked fields', () => {
    const p = preset('mmoe-vs-cgc');
    const sb = suiteBase(p, [1, 2], 150);
    const draft = deepMerge(sb.base, { backend: 'wasm', train: { learningRate: 0.01, steps: 150 }, model: { type: 'ple' }, data: { seed: 99 } });
    expect(suiteOverrides(draft, sb)).toEqual({ backend: 'wasm', train: { learningRate: 0.01 } });
    const built = buildSuiteRuns(p, [1, 2], draft);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.runs).toHaveLength(4);
    expect(built.configs.map((c) => c.model.type)).toEqual(['mmoe', 'cgc', 'mmoe', 'cgc']);
    for (const c of built.configs) {
      expect(c.backend).toBe('wasm');
      expect(c.train.learningRate).toBe(0.01);
      expect(c.train.steps).toBe(150);
    }
    expect(built.configs.map((c) => c.data.seed)).toEqual([1, 1, 2, 2]);
  });

  it('reports an override that breaks a run', () => {
    const p = preset('seesaw');
    const sb = suiteBase(p, [1], 100);
    const draft = deepMerge(sb.base, { train: { batchSize: 8192 }, data: { nTrain: 4000 } });
    const built = buildSuiteRuns(p, [1], draft);
    expect(built.ok).toBe(false);
    if (!built.ok) expect(built.message).toMatch(/^single-task: .*batch size 8192/);
  });
});
