// A plain-JS reading of the structural export (the layout users port), in
// double precision and without TF.js: tests check every model's packed
// forward pass against it. One function for every family: it builds named
// streams ('input', 'bottom', 'column:k', 'sluice:k', gate ids) and each tower
// reads one stream, or several concatenated in the order listed.
export type DenseJson = { W: number[][]; b: number[]; activation: 'relu' | 'linear' | 'softmax' };

export function dense(x: number[], l: DenseJson): number[] {
  const y = l.b.map((b, j) => b + x.reduce((s, xi, i) => s + xi * l.W[i][j], 0));
  if (l.activation === 'relu') return y.map((v) => Math.max(0, v));
  if (l.activation === 'softmax') {
    const mx = Math.max(...y);
    const e = y.map((v) => Math.exp(v - mx));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / z);
  }
  return y;
}

export const mlp = (x: number[], layers: DenseJson[]) => layers.reduce((h, l) => dense(h, l), x);

type ExpertKey = { module: string; index: number };

export interface Structure {
  /** model.featureGates: x̃ = scale · softmax(x·W + b) ⊙ x, as the stream `output`. */
  featureGates?: { id: string; input: string; output: string; scale: number; layers: DenseJson[] }[];
  levels?: {
    modules: { id: string; input: string; experts: { input?: string; layers: DenseJson[] }[] }[];
    gates: { id: string; input: string; experts: ExpertKey[]; layers: DenseJson[]; residual?: { experts: ExpertKey[]; weights: number[] } }[];
  }[];
  bottom?: { layers: DenseJson[] };
  columns?: { layers: DenseJson[] }[];
  stitch?: { afterLayer: number; alpha: number[][] }[];
  sluice?: { subspaces: number; alpha: { afterLayer: number; alpha: number[][] }[]; beta: number[][] };
  towers: { task: number; input: string | string[]; layers: DenseJson[] }[];
}

const weighted = (vs: number[][], w: number[]) => vs[0].map((_, j) => vs.reduce((acc, v, i) => acc + w[i] * v[j], 0));

/** Mix whole columns: h̃_k = Σ_j α[k][j]·h_j (cross-stitch). */
function stitchColumns(hs: number[][], alpha: number[][]): number[][] {
  return hs.map((_, k) => weighted(hs, alpha[k]));
}

/** Mix subspaces: column k's subspace s becomes Σ_(j,t) α[kS+s][jS+t]·(subspace t of column j). */
function stitchSubspaces(hs: number[][], alpha: number[][], S: number): number[][] {
  const hh = hs[0].length / S;
  const subs = hs.flatMap((h) => Array.from({ length: S }, (_, s) => h.slice(s * hh, (s + 1) * hh)));
  return hs.map((_, k) => Array.from({ length: S }, (__, s) => weighted(subs, alpha[k * S + s])).flat());
}

/** Outputs per task; `gates`, when given, receives every gate's weights keyed `level/id`. */
export function referenceForward(s: Structure, x: number[], gates?: Map<string, number[]>): number[] {
  let streams = new Map<string, number[]>([['input', x]]);
  for (const f of s.featureGates ?? []) {
    const g = mlp(streams.get(f.input)!, f.layers);
    gates?.set(`features/${f.id}`, g);
    streams.set(f.output, x.map((v, i) => f.scale * g[i] * v));
  }
  if (s.levels) {
    for (const [li, level] of s.levels.entries()) {
      const expertOut = new Map<string, number[]>();
      for (const m of level.modules) m.experts.forEach((e, i) => expertOut.set(`${m.id}/${i}`, mlp(streams.get(e.input ?? m.input)!, e.layers)));
      const get = (e: ExpertKey) => expertOut.get(`${e.module}/${e.index}`)!;
      // The raw input stays readable at every level (ML-MMoE's gates select on it).
      const next = new Map<string, number[]>([['input', x]]);
      for (const g of level.gates) {
        const keys = [...g.experts, ...(g.residual?.experts ?? [])];
        const soft = mlp(streams.get(g.input)!, g.layers);
        gates?.set(`${li}/${g.id}`, soft);
        const w = [...soft, ...(g.residual?.weights ?? [])];
        next.set(g.id, weighted(keys.map(get), w));
      }
      streams = next;
    }
  }
  if (s.bottom) streams.set('bottom', mlp(x, s.bottom.layers));
  if (s.columns) {
    const cols = s.columns;
    let hs = cols.map(() => x);
    const perLayer: number[][][] = [];
    for (let l = 0; l < cols[0].layers.length; l++) {
      hs = hs.map((h, k) => dense(h, cols[k].layers[l]));
      const st = s.stitch?.find((q) => q.afterLayer === l);
      if (st) hs = stitchColumns(hs, st.alpha);
      const sl = s.sluice?.alpha.find((q) => q.afterLayer === l);
      if (sl) hs = stitchSubspaces(hs, sl.alpha, s.sluice!.subspaces);
      perLayer.push(hs);
    }
    hs.forEach((h, k) => streams.set(`column:${k}`, h));
    if (s.sluice) hs.forEach((_, k) => streams.set(`sluice:${k}`, weighted(perLayer.map((layer) => layer[k]), s.sluice!.beta[k])));
  }
  return s.towers.map((t) => {
    const names = Array.isArray(t.input) ? t.input : [t.input];
    return mlp(names.flatMap((n) => streams.get(n)!), t.layers)[0];
  });
}
