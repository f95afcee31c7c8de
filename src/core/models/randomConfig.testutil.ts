// Random valid configs of every family, for property tests (the wiring test
// and the ONNX equivalence test draw from the same distribution): 2–6 tasks,
// 1–4 levels, per-task expert counts including 0, with and without gate MLPs
// and gate bias, 1–3 expert layers, 0–2 tower layers.
import { parseExperiment, resolveConfig, type ExperimentInput, type ModelType } from '../config/schema';
import type { Rng } from '../data/rng';

export function randomConfig(type: ModelType, r: Rng, inputDim = 7): ExperimentInput {
  const int = (lo: number, hi: number) => lo + Math.floor(r.uniform() * (hi - lo + 1));
  const esmm = type === 'esmm';
  const K = esmm ? 2 : int(2, 6);
  const depth = int(1, 3);
  const size = int(2, 6) * (type === 'sluice' ? 2 : 1);
  const expertHidden = Array.from({ length: depth }, () => (type === 'sluice' ? size : int(2, 6)));
  const minSpecific = type === 'adatt' ? 1 : 0;
  return {
    data: { tasks: Array.from({ length: K }, () => ({ type: esmm ? 'binary' : 'regression' })), inputDim, chain: esmm },
    model: {
      type,
      levels: int(1, 4),
      sharedExperts: int(type === 'mmoe' || type === 'omoe' || type === 'ml-mmoe' ? 1 : 0, 3),
      specificExperts: Array.from({ length: K }, () => int(minSpecific, 2)),
      expertHidden,
      towerHidden: Array.from({ length: int(0, 2) }, () => int(2, 5)),
      gateHidden: r.uniform() < 0.3 ? Array.from({ length: int(1, 2) }, () => int(2, 4)) : [],
      gateBias: r.uniform() < 0.7,
      featureGates: r.uniform() < 0.5,
      esmmBottom: r.uniform() < 0.5 ? 'cgc' : 'shared',
    },
  };
}

/** A valid random config of `type` (invalid draws, e.g. a gate with no expert, are redrawn). */
export function drawValid(type: ModelType, r: Rng, inputDim = 7): ReturnType<typeof resolveConfig> {
  for (;;) {
    const p = parseExperiment(randomConfig(type, r, inputDim));
    if (p.ok) return resolveConfig(p.config);
  }
}

/** One line naming a drawn shape (for failure messages and coverage checks). */
export function describeConfig(cfg: ReturnType<typeof resolveConfig>): string {
  const m = cfg.model;
  return `${m.type} K=${cfg.data.tasks.length} levels=${m.levels} shared=${m.sharedExperts} specific=[${m.specificExperts}] hidden=[${m.expertHidden}] gateHidden=[${m.gateHidden}] bias=${m.gateBias} featureGates=${m.featureGates} esmmBottom=${m.esmmBottom}`;
}
