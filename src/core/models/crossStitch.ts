// Cross-Stitch (Misra et al. 2016): one column per task; after every layer the
// columns are mixed by a learned K×K matrix α: h̃_k = Σ_j α_kj·h_j.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../config/schema';
import { Rng } from '../data/rng';
import { Columns } from './columns';
import type { ForwardResult, MtlModel, SharedParam, SharedSlice } from './model';
import { matMul, toMatrix, VariableSet } from './ops';
import { Towers } from './towers';

/** The paper's initialisation: 0.9 on the diagonal, the rest shared equally. */
function stitchInit(K: number): Float32Array {
  const a = new Float32Array(K * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) a[i * K + j] = i === j ? 0.9 : 0.1 / (K - 1);
  return a;
}

export class CrossStitchModel implements MtlModel {
  readonly type = 'cross-stitch' as const;
  readonly variables: tf.Variable[];
  private readonly vars = new VariableSet('cross-stitch');
  private readonly columns: Columns;
  private readonly alphas: tf.Variable[];
  private readonly towers: Towers;

  constructor(cfg: ResolvedModel, readonly numTasks: number, readonly inputDim: number, initSeed: number) {
    const rng = new Rng(initSeed);
    const K = numTasks;
    this.columns = new Columns(this.vars, rng, K, inputDim, cfg.expertHidden);
    this.alphas = cfg.expertHidden.map((_, l) => this.vars.add(stitchInit(K), [K, K], `stitch${l}`));
    const H = cfg.expertHidden[cfg.expertHidden.length - 1];
    this.towers = new Towers(this.vars, rng, K, new Array(K).fill(H), cfg.towerHidden);
    this.variables = this.vars.list;
  }

  private stitch(hs: tf.Tensor2D[], alpha: tf.Variable): tf.Tensor2D[] {
    const [B, h] = hs[0].shape;
    const K = this.numTasks;
    // [K, B·h] rows are the columns' activations; α·rows mixes them.
    const rows = tf.reshape(tf.stack(hs, 0), [K, B * h]) as tf.Tensor2D;
    const mixed = matMul(alpha as tf.Tensor2D, rows);
    return tf.unstack(tf.reshape(mixed, [K, B, h]), 0) as tf.Tensor2D[];
  }

  forward(x: tf.Tensor2D): ForwardResult {
    let hs = this.stitch(this.columns.first(x), this.alphas[0]);
    for (let l = 1; l < this.columns.sizes.length; l++) hs = this.stitch(this.columns.layer(l, hs), this.alphas[l]);
    return { outputs: this.towers.apply(hs), gates: [] };
  }
  gateInfo() {
    return [];
  }
  sharedParam(): SharedParam {
    return { variable: this.alphas[this.alphas.length - 1] };
  }
  /** Every task's loss reaches every column through the stitches: the columns and the stitch units. */
  sharedParameters(): SharedSlice[] {
    return [...this.columns.slices(Array.from({ length: this.numTasks }, (_, k) => k)), ...this.alphas.map((variable) => ({ variable }))];
  }
  parameterCount(): number {
    return this.columns.parameterCount() + this.alphas.length * this.numTasks ** 2 + this.towers.parameterCount();
  }
  async exportStructure() {
    const K = this.numTasks;
    const columns = [];
    for (let k = 0; k < K; k++) columns.push({ task: k, input: 'input', layers: await this.columns.exportColumn(k) });
    const stitch = [];
    for (const [l, a] of this.alphas.entries()) stitch.push({ afterLayer: l, alpha: await toMatrix(a, K, K) });
    return { columns, stitch, towers: (await this.towers.export()).map((layers, k) => ({ task: k, input: `column:${k}`, layers })) };
  }
  dispose(): void {
    this.vars.dispose();
    this.towers.dispose();
  }
}
