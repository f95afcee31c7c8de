// Gate maps (issue 12, part 3): a gate's weight on each of its experts over a
// plane of two of the generator's directions, after TensorFlow Playground's
// output heatmap.
//
// Sampling (stated in the chart's caption and help): the TEST inputs, not
// synthetic points. Each test row x is projected on the plane of two
// orthonormalised directions û, v̂ (Gram–Schmidt of the chosen pair, in that
// order): a = ûᵀx, b = v̂ᵀx. Since x ~ N(0, I), (a, b) ~ N(0, I₂), so a fixed
// square [−3, 3]² holds ≈ 99% of the rows. The square is cut into bins × bins
// bins; a bin shows the MEAN gate weight of the rows that fall in it (NaN for
// an empty bin), so the other 98 coordinates keep their real distribution (a
// point on the plane with the other coordinates 0 would be far from the data:
// ‖x‖ ≈ 1.4 there against ≈ 10 for real inputs).
//
// Region boundary: under the regional generator rᵀx = 0 is a straight line on
// the plane exactly when r lies in span(û, v̂) (e.g. the pair (w_k, r), where
// r ⟂ w_k by construction, so v̂ = r and the line is b = 0). Otherwise the
// regions overlap on the plane and no line is drawn.
// The pure geometry lives in gateMapPlane.ts (TF.js-free, imported by the page).
import * as tf from '@tensorflow/tfjs';
import type { Dataset, GateInfo } from '../types';
import type { ForwardResult } from '../models/model';
import {
  availableDirections,
  binGateWeights,
  boundaryInPlane,
  defaultPair,
  directionLabel,
  directionVector,
  GATE_MAP_BINS,
  GATE_MAP_EXTENT,
  GATE_MAP_ROWS,
  orthonormalise,
  projectRows,
  sameDirection,
  type GateMapGate,
  type GateMapRequest,
  type GateMapResult,
  type MapDirection,
} from './gateMapPlane';

export * from './gateMapPlane';

export interface GateMapModel {
  forward(x: tf.Tensor2D, opts?: { gates?: boolean }): ForwardResult;
  gateInfo(): GateInfo[];
}

const FORWARD_CHUNK = 4096;

/** The map of every gate of every level on the first maxRows test rows (all rows when maxRows is Infinity). */
export async function computeGateMap(model: GateMapModel, dataset: Dataset, req: GateMapRequest, step: number, maxRows = req.maxRows ?? GATE_MAP_ROWS): Promise<GateMapResult> {
  const bins = Math.max(2, Math.min(64, Math.floor(req.bins ?? GATE_MAP_BINS)));
  const extent = req.extent && req.extent > 0 ? req.extent : GATE_MAP_EXTENT;
  const { d } = dataset;
  const s = dataset.test;
  const directions = availableDirections(dataset.functions);
  const has = (x: MapDirection | undefined): x is MapDirection => !!x && directions.some((y) => sameDirection(x, y));
  const def = defaultPair(dataset.functions);
  let note: string | undefined;
  let a = req.a;
  let b = req.b;
  if (!has(a) || !has(b)) {
    if (a || b) note = 'the chosen directions are not in this data: showing the default pair';
    a = def?.a;
    b = def?.b;
  }
  if (!a || !b) a = b = directions[0] ?? { kind: 'task', task: 0 };
  const base: GateMapResult = {
    step,
    bins,
    extent,
    a,
    b,
    directions,
    aLabel: directionLabel(a),
    bLabel: directionLabel(b),
    rows: 0,
    inside: 0,
    counts: new Uint32Array(bins * bins),
    gates: [],
    boundary: null,
    ...(note ? { note } : {}),
  };
  const pv = directionVector(dataset.functions, a);
  const qv = directionVector(dataset.functions, b);
  if (!pv || !qv) return { ...base, note: 'this data has no such direction' };
  const basis = orthonormalise(pv, qv);
  if (!basis) return { ...base, note: `${base.aLabel} and ${base.bLabel} are parallel: pick two different directions` };
  const infos = model.gateInfo();
  const boundary = boundaryInPlane(dataset.functions.r, basis.u, basis.v);
  if (infos.length === 0) return { ...base, boundary, note: 'this model has no gates' };
  const n = Math.min(s.n, Math.max(0, Math.floor(maxRows)));
  const proj = projectRows(s.x, n, d, basis.u, basis.v);
  const buffers = infos.map((g) => new Float32Array(n * g.experts.length));
  for (let start = 0; start < n; start += FORWARD_CHUNK) {
    const rows = Math.min(FORWARD_CHUNK, n - start);
    const gates = tf.tidy(() => model.forward(tf.tensor2d(s.x.subarray(start * d, (start + rows) * d), [rows, d]), { gates: true }).gates.map((g) => g.weights));
    for (let i = 0; i < gates.length; i++) {
      buffers[i].set(await gates[i].data(), start * infos[i].experts.length);
      gates[i].dispose();
    }
  }
  let counts = base.counts;
  let inside = 0;
  const gates: GateMapGate[] = infos.map((info, i) => {
    const r = binGateWeights(proj, n, buffers[i], info.experts.length, bins, extent);
    counts = r.counts;
    inside = r.inside;
    return { level: info.level, id: info.id, label: info.label, experts: info.experts.map((e) => ({ label: e.label, module: e.module })), weights: r.means };
  });
  return { ...base, rows: n, inside, counts, gates, boundary };
}

/** The buffers of a map, to transfer across the worker boundary. */
export function gateMapTransfer(m: GateMapResult): Transferable[] {
  return [m.counts.buffer as ArrayBuffer, ...m.gates.map((g) => g.weights.buffer as ArrayBuffer)];
}
