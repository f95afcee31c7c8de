// Sluice network (Ruder et al. 2017, "Latent multi-task architecture
// learning"; reference code sebastianruder/sluice-networks): one column per
// task, every hidden layer split into 2 subspaces (its first and second half).
//  - α (per layer, [2K, 2K]): after every layer each task's subspaces are
//    replaced by learned linear combinations of ALL tasks' subspaces,
//    h̃[k,s] = Σ_(j,t) α[(k,s),(j,t)]·h[j,t], index (k,s) = 2k + s.
//  - β (per task, [L]): the tower reads a learned linear combination of the
//    task's (α-mixed) layer outputs, Σ_l β[k,l]·h̃_l[k] (skip connections
//    that let a task choose its depth). Needs equal layer sizes (schema).
// Initialisation as the reference code's defaults: α "imbalanced" (0.9 on a
// subspace's own entry, 0.1 shared equally by the other 2K−1), β "balanced"
// (1/L). Simplification: the optional subspace-orthogonality penalty
// (weight 0 by default in the reference code) is not implemented; α, β are
// unconstrained, as there. With α = identity and β = the last layer the
// model is exactly single-task (tested).
//
// Structural export: `columns[k]` as single-task (dense layers per column),
// `sluice = { subspaces: 2, alpha: [{ afterLayer, alpha: 2K×2K }], beta: K×L }`,
// towers read `sluice:<k>` = Σ_l beta[k][l]·(layer l of column k after its α).
import * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../config/schema';
import { Rng } from '../data/rng';
import { Columns } from './columns';
import type { ForwardResult, MtlModel, SharedParam, SharedSlice } from './model';
import { toMatrix, VariableSet } from './ops';
import { Towers } from './towers';

const SUBSPACES = 2;

function alphaInit(n: number): Float32Array {
  const a = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = i === j ? 0.9 : 0.1 / (n - 1);
  return a;
}

export class SluiceModel implements MtlModel {
  readonly type = 'sluice' as const;
  readonly variables: tf.Variable[];
  private readonly vars = new VariableSet('sluice');
  private readonly columns: Columns;
  private readonly towers: Towers;
  /** Per layer: [2K, 2K] subspace mixing. */
  readonly alphas: tf.Variable[];
  /** [K, L] layer selection. */
  readonly beta: tf.Variable;
  private readonly H: number;

  constructor(cfg: ResolvedModel, readonly numTasks: number, readonly inputDim: number, initSeed: number) {
    const rng = new Rng(initSeed);
    const K = numTasks;
    const L = cfg.expertHidden.length;
    this.H = cfg.expertHidden[0];
    // Same draw order as single-task (columns, then towers): α, β use no randomness.
    this.columns = new Columns(this.vars, rng, K, inputDim, cfg.expertHidden);
    this.towers = new Towers(this.vars, rng, K, new Array(K).fill(this.H), cfg.towerHidden);
    const n = SUBSPACES * K;
    this.alphas = cfg.expertHidden.map((_, l) => this.vars.add(alphaInit(n), [n, n], `alpha${l}`));
    this.beta = this.vars.add(new Float32Array(K * L).fill(1 / L), [K, L], 'beta');
    this.variables = this.vars.list;
  }

  /** α-mix the columns' subspaces: K × [B, H] → [B, K, H]. */
  private mix(hs: tf.Tensor2D[], alpha: tf.Variable): tf.Tensor3D {
    const B = hs[0].shape[0];
    const K = this.numTasks;
    const n = SUBSPACES * K;
    const t = tf.reshape(tf.stack(hs, 1), [B, 1, n, this.H / SUBSPACES]);
    // out[b, i, :] = Σ_j α[i, j]·t[b, j, :] as a broadcast multiply + sum (no transposes).
    const mixed = tf.sum(tf.mul(t, tf.reshape(alpha, [1, n, n, 1])), 2);
    return tf.reshape(mixed, [B, K, this.H]) as tf.Tensor3D;
  }

  forward(x: tf.Tensor2D): ForwardResult {
    const K = this.numTasks;
    const L = this.columns.sizes.length;
    const layerOuts: tf.Tensor3D[] = [];
    let hs = this.columns.first(x);
    for (let l = 0; l < L; l++) {
      if (l > 0) hs = this.columns.layer(l, hs);
      const mixed = this.mix(hs, this.alphas[l]);
      layerOuts.push(mixed);
      hs = tf.unstack(mixed, 1) as tf.Tensor2D[];
    }
    // Σ_l β[k, l]·h̃_l[:, k, :]
    const stacked = L === 1 ? tf.expandDims(layerOuts[0], 0) : tf.stack(layerOuts, 0); // [L, B, K, H]
    const betaT = tf.reshape(tf.transpose(this.beta), [L, 1, K, 1]);
    const selected = tf.sum(tf.mul(stacked, betaT), 0) as tf.Tensor3D; // [B, K, H]
    return { outputs: this.towers.apply(tf.unstack(selected, 1) as tf.Tensor2D[]), gates: [] };
  }
  gateInfo() {
    return [];
  }
  sharedParam(): SharedParam {
    return { variable: this.alphas[this.alphas.length - 1] };
  }
  /** The columns and the sluice α units (β is per task: row k only reaches task k's tower). */
  sharedParameters(): SharedSlice[] {
    return [...this.columns.slices(Array.from({ length: this.numTasks }, (_, k) => k)), ...this.alphas.map((variable) => ({ variable }))];
  }
  parameterCount(): number {
    const n = SUBSPACES * this.numTasks;
    return this.columns.parameterCount() + this.alphas.length * n * n + this.numTasks * this.alphas.length + this.towers.parameterCount();
  }
  async exportStructure() {
    const K = this.numTasks;
    const n = SUBSPACES * K;
    const columns = [];
    for (let k = 0; k < K; k++) columns.push({ task: k, input: 'input', layers: await this.columns.exportColumn(k) });
    const alpha = [];
    for (const [l, a] of this.alphas.entries()) alpha.push({ afterLayer: l, alpha: await toMatrix(a, n, n) });
    const beta = await toMatrix(this.beta, K, this.alphas.length);
    return {
      columns,
      sluice: { subspaces: SUBSPACES, alpha, beta },
      towers: (await this.towers.export()).map((layers, k) => ({ task: k, input: `sluice:${k}`, layers })),
    };
  }
  dispose(): void {
    this.vars.dispose();
    this.towers.dispose();
  }
}
