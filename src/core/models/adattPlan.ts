// The plan of an AdaTT model (modules, gates, residual connections per level)
// without TF.js, so the architecture diagram can draw exactly what
// src/core/models/adatt.ts builds. See adatt.ts for the maths.
import type { ExpertRef, GateInfo } from '../types';

export interface AdattModule {
  /** 'task:<k>' | 'shared' */
  id: string;
  label: string;
  count: number;
  /** Index of the module's first expert in the level's expert order. */
  offset: number;
}

export interface AdattGate extends GateInfo {
  /** Stream the gate reads and writes: 'input' at level 0, else its own id. */
  stream: string;
  /** Index of the module whose experts get the residual (self) connection. */
  selfModule: number;
}

export interface AdattLevel {
  level: number;
  modules: AdattModule[];
  gates: AdattGate[];
  /** Total experts of the level; every gate mixes all of them. */
  E: number;
}

export interface AdattPlan {
  levels: AdattLevel[];
  /**
   * True when every module that has experts has exactly one: the residual
   * weight is then the constant 1 (Meta's AdaTT-sp); otherwise each gate
   * learns one residual weight per own expert.
   */
  unitResidual: boolean;
}

export function planAdatt(K: number, levels: number, specificExperts: number[], sharedExperts: number): AdattPlan {
  const out: AdattLevel[] = [];
  for (let level = 0; level < levels; level++) {
    const modules: AdattModule[] = [];
    let offset = 0;
    for (let k = 0; k < K; k++) {
      modules.push({ id: `task:${k}`, label: `Task ${k + 1}`, count: specificExperts[k], offset });
      offset += specificExperts[k];
    }
    modules.push({ id: 'shared', label: 'Shared', count: sharedExperts, offset });
    const E = offset + sharedExperts;
    const experts: ExpertRef[] = modules.flatMap((m) =>
      Array.from({ length: m.count }, (_, i) => ({
        module: m.id,
        index: i,
        label: `${m.id === 'shared' ? 'S' : `T${Number(m.id.slice(5)) + 1}`}·E${i}`,
      })),
    );
    const stream = (id: string) => (level === 0 ? 'input' : id);
    const gates: AdattGate[] = [];
    for (let k = 0; k < K; k++)
      gates.push({ level, id: `task:${k}`, label: `Gate task ${k + 1}`, stream: stream(`task:${k}`), selfModule: k, experts });
    // The shared module's gate feeds the next level's shared experts: none after the last level.
    if (level < levels - 1 && sharedExperts > 0)
      gates.push({ level, id: 'shared', label: 'Shared gate', stream: stream('shared'), selfModule: K, experts });
    out.push({ level, modules, gates, E });
  }
  const counts = [...specificExperts, sharedExperts].filter((c) => c > 0);
  return { levels: out, unitResidual: counts.every((c) => c === 1) };
}
