// Customized sharing (PLE paper, figure of MTL structures): one bottom MLP per
// task plus one shared bottom; tower k reads the concatenation [task k's
// bottom, shared bottom]. No gates: the split between task-specific and shared
// features is fixed by the structure (CGC is this with learned gates over
// experts). Task k's loss reaches only its own bottom and the shared one.
//
// Packing: the K task bottoms and the shared bottom all read the input, so
// they are K+1 columns of one Columns block (the shared bottom is column K):
// one matMul [d, (K+1)·h1] for every first layer.
//
// Structural export: `columns[k] = { task, input: 'input', layers }` for the
// task bottoms, `bottom = { layers }` for the shared one, and
// `towers[k] = { task, input: ['column:k', 'bottom'], layers }` (concatenated
// in that order).
import * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../config/schema';
import { Rng } from '../data/rng';
import { Columns } from './columns';
import type { ForwardResult, MtlModel, SharedParam, SharedSlice } from './model';
import { VariableSet } from './ops';
import { Towers } from './towers';

export class CustomizedModel implements MtlModel {
  readonly type = 'customized' as const;
  readonly variables: tf.Variable[];
  private readonly vars = new VariableSet('customized');
  private readonly columns: Columns;
  private readonly towers: Towers;

  constructor(cfg: ResolvedModel, readonly numTasks: number, readonly inputDim: number, initSeed: number) {
    const rng = new Rng(initSeed);
    this.columns = new Columns(this.vars, rng, numTasks + 1, inputDim, cfg.expertHidden);
    const H = cfg.expertHidden[cfg.expertHidden.length - 1];
    this.towers = new Towers(this.vars, rng, numTasks, new Array(numTasks).fill(2 * H), cfg.towerHidden);
    this.variables = this.vars.list;
  }

  forward(x: tf.Tensor2D): ForwardResult {
    let hs = this.columns.first(x);
    for (let l = 1; l < this.columns.sizes.length; l++) hs = this.columns.layer(l, hs);
    const shared = hs[this.numTasks];
    const inputs = hs.slice(0, this.numTasks).map((h) => tf.concat([h, shared], 1) as tf.Tensor2D);
    return { outputs: this.towers.apply(inputs), gates: [] };
  }
  gateInfo() {
    return [];
  }
  /** The shared bottom's last layer. */
  sharedParam(): SharedParam {
    const K = this.numTasks;
    const { sizes, deep, W0 } = this.columns;
    if (sizes.length > 1) return { variable: deep[deep.length - 1][K].W };
    return { variable: W0, cols: [K * sizes[0], (K + 1) * sizes[0]] };
  }
  /** The shared bottom: column K, every layer. */
  sharedParameters(): SharedSlice[] {
    return this.columns.slices([this.numTasks]);
  }
  parameterCount(): number {
    return this.columns.parameterCount() + this.towers.parameterCount();
  }
  async exportStructure() {
    const K = this.numTasks;
    const columns = [];
    for (let k = 0; k < K; k++) columns.push({ task: k, input: 'input', layers: await this.columns.exportColumn(k) });
    const bottom = { input: 'input', layers: await this.columns.exportColumn(K) };
    const towers = (await this.towers.export()).map((layers, k) => ({ task: k, input: [`column:${k}`, 'bottom'], layers }));
    return { columns, bottom, towers };
  }
  dispose(): void {
    this.vars.dispose();
    this.towers.dispose();
  }
}
