// Asymmetric sharing (PLE paper, figure of MTL structures): one bottom MLP per
// task; a task's tower reads its own bottom AND the bottom of the task before
// it, through a stop-gradient. The reader uses the read task's features but
// never trains them: its loss puts exactly zero gradient on the read bottom.
//
// K > 2 (our choice, the paper draws two tasks): a chain, task k reads task
// k−1's bottom (the raw bottom output, not what k−1 itself read), so the
// first task is trained by its own loss alone and every later task gets one helper.
// Towers: tower 0 reads column 0 ([H]); tower k ≥ 1 reads the concatenation
// [column k, stopGradient(column k−1)] ([2H]). The seed write-up's extra linear
// projection back to H is left out: it would be composed with the tower's
// first linear layer with no nonlinearity in between.
//
// Structural export: `columns[k] = { task, input: 'input', layers }` as in
// single-task; `towers[k].input` is 'column:0' for task 0 and the list
// ['column:k', 'column:k−1'] (concatenated in that order) for k ≥ 1, with
// `stopGradient: ['column:k−1']` naming the part read without gradient.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../config/schema';
import { Rng } from '../data/rng';
import { Columns } from './columns';
import type { ForwardResult, MtlModel } from './model';
import { VariableSet } from './ops';
import { Towers } from './towers';

/** Identity forward, zero gradient backward (TF.js has no stop_gradient op). */
export const stopGradient = tf.customGrad(((x: tf.Tensor2D) => {
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor2D) => [tf.zerosLike(dy)] };
}) as never) as unknown as (x: tf.Tensor2D) => tf.Tensor2D;

export class AsymmetricModel implements MtlModel {
  readonly type = 'asymmetric' as const;
  readonly variables: tf.Variable[];
  private readonly vars = new VariableSet('asymmetric');
  private readonly columns: Columns;
  private readonly towers: Towers;

  constructor(cfg: ResolvedModel, readonly numTasks: number, readonly inputDim: number, initSeed: number) {
    const rng = new Rng(initSeed);
    this.columns = new Columns(this.vars, rng, numTasks, inputDim, cfg.expertHidden);
    const H = cfg.expertHidden[cfg.expertHidden.length - 1];
    const inDims = Array.from({ length: numTasks }, (_, k) => (k === 0 ? H : 2 * H));
    this.towers = new Towers(this.vars, rng, numTasks, inDims, cfg.towerHidden);
    this.variables = this.vars.list;
  }

  forward(x: tf.Tensor2D): ForwardResult {
    let hs = this.columns.first(x);
    for (let l = 1; l < this.columns.sizes.length; l++) hs = this.columns.layer(l, hs);
    const inputs = hs.map((h, k) => (k === 0 ? h : (tf.concat([h, stopGradient(hs[k - 1])], 1) as tf.Tensor2D)));
    return { outputs: this.towers.apply(inputs), gates: [] };
  }
  gateInfo() {
    return [];
  }
  /** Nothing is shared by gradient (the read is stop-gradient), so GradNorm has no shared layer. */
  sharedParam() {
    return null;
  }
  /**
   * The read columns (column k−1, read by task k through a stop-gradient): the
   * reading task's gradient there is zero by construction, so its cosines are 0.
   */
  sharedParameters() {
    return this.columns.slices(Array.from({ length: this.numTasks - 1 }, (_, k) => k));
  }
  parameterCount(): number {
    return this.columns.parameterCount() + this.towers.parameterCount();
  }
  async exportStructure() {
    const columns = [];
    for (let k = 0; k < this.numTasks; k++) columns.push({ task: k, input: 'input', layers: await this.columns.exportColumn(k) });
    const towers = (await this.towers.export()).map((layers, k) =>
      k === 0
        ? { task: k, input: 'column:0', layers }
        : { task: k, input: [`column:${k}`, `column:${k - 1}`], stopGradient: [`column:${k - 1}`], layers },
    );
    return { columns, towers };
  }
  dispose(): void {
    this.vars.dispose();
    this.towers.dispose();
  }
}
