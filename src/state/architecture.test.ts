// The diagram's plan must match what the engine builds: same gates, same
// levels, each gate over the same experts (checked against gateInfo()).
// gateInfo() is structural, so TF.js's default backend (CPU in Node) is enough
// and this file imports no TF.js itself (state/ stays free of it).
import { describe, expect, it } from 'vitest';
import { MODEL_TYPES, mustParseExperiment, resolveConfig, type ExperimentInput } from '../core/config/schema';
import { buildModel } from '../core/models/registry';
import { planArchitecture } from './architecture';

const CASES: ExperimentInput['model'][] = [
  { type: 'omoe', sharedExperts: 3 },
  { type: 'mmoe', sharedExperts: 3 },
  { type: 'ml-mmoe', sharedExperts: 2, levels: 3 },
  { type: 'cgc', sharedExperts: 1, specificExperts: [1, 2, 0] },
  { type: 'ple', sharedExperts: 2, specificExperts: 1, levels: 2 },
  { type: 'ple', sharedExperts: 0, specificExperts: 2, levels: 3 },
  { type: 'adatt', sharedExperts: 1, specificExperts: [1, 2, 1], levels: 2 },
  { type: 'adatt', sharedExperts: 0, specificExperts: 1, levels: 2 },
  { type: 'ple', sharedExperts: 1, specificExperts: [1, 0, 2], levels: 2, featureGates: true },
  { type: 'mmoe', sharedExperts: 2, featureGates: true },
];

const key = (level: number, id: string, experts: { module: string; index: number }[]) =>
  `L${level}:${id}:[${experts.map((e) => `${e.module}#${e.index}`).join(',')}]`;

describe('planArchitecture', () => {
  it.each(CASES.map((m) => [m!.type + JSON.stringify(m), m]))('matches the engine for %s', (_, model) => {
    const cfg = mustParseExperiment({ data: { tasks: [{}, {}, {}], inputDim: 8 }, model });
    const plan = planArchitecture(cfg);
    const built = buildModel(resolveConfig(cfg).model, 3, 8, 5);
    try {
      const engine = built.gateInfo().map((g) => key(g.level, g.id, g.experts)).sort();
      const ours = plan.levels.flatMap((l) => l.gates.map((g) => key(l.level, g.id, g.experts))).sort();
      expect(ours).toEqual(engine);
      // Feature gates: the diagram draws one per row the engine gates.
      expect([...plan.featureGates].sort()).toEqual((built.featureGateInfo?.() ?? []).map((g) => g.id).sort());
      // Every expert a gate mixes exists in a module of that level.
      for (const l of plan.levels)
        for (const g of l.gates)
          for (const e of g.experts) expect(e.index).toBeLessThan(l.modules.find((m) => m.id === e.module)!.count);
    } finally {
      built.dispose();
    }
  });

  it('draws every ungated family as bottoms and towers, without gates', () => {
    for (const type of MODEL_TYPES) {
      const data = type === 'esmm' ? { tasks: [{ type: 'binary' as const }, { type: 'binary' as const }], chain: true } : {};
      const cfg = mustParseExperiment({ data, model: { type, ...(type === 'sluice' ? { expertHidden: [16, 16] } : {}) } });
      const plan = planArchitecture(cfg);
      const gated = ['omoe', 'mmoe', 'ml-mmoe', 'cgc', 'ple', 'adatt'].includes(type);
      expect(plan.levels.length > 0, type).toBe(gated);
      expect(plan.bottom === null, type).toBe(gated);
      expect(plan.towerInput).toHaveLength(cfg.data.tasks.length);
    }
  });

  it('ESMM over a CGC bottom: the CGC levels with the pCTCVR product on top; feature gates off stays as before', () => {
    const data = { tasks: [{ type: 'binary' as const }, { type: 'binary' as const }], chain: true };
    const cfg = mustParseExperiment({ data, model: { type: 'esmm', esmmBottom: 'cgc', specificExperts: 1, sharedExperts: 2 } });
    const plan = planArchitecture(cfg);
    expect(plan.model).toBe('esmm');
    expect(plan.esmm).toBe(true);
    expect(plan.bottom).toBeNull();
    const built = buildModel(resolveConfig(cfg).model, 2, cfg.data.inputDim, 1);
    try {
      expect(plan.levels.flatMap((l) => l.gates.map((g) => key(l.level, g.id, g.experts))).sort()).toEqual(built.gateInfo().map((g) => key(g.level, g.id, g.experts)).sort());
    } finally {
      built.dispose();
    }
    expect(planArchitecture(mustParseExperiment({ data, model: { type: 'esmm' } })).bottom).toBe('esmm');
    expect(planArchitecture(mustParseExperiment({ model: { type: 'cgc' } })).featureGates).toEqual([]);
  });
});
