// Single-task baseline: K independent models (bottom MLP + tower), trained
// side by side. Nothing is shared, so task k's loss only moves column k.
import type * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../config/schema';
import { Rng } from '../data/rng';
import { Columns } from './columns';
import type { ForwardResult, MtlModel } from './model';
import { VariableSet } from './ops';
import { Towers } from './towers';

export class SingleTaskModel implements MtlModel {
  readonly type = 'single-task' as const;
  readonly variables: tf.Variable[];
  private readonly vars = new VariableSet('single-task');
  private readonly columns: Columns;
  private readonly towers: Towers;

  constructor(cfg: ResolvedModel, readonly numTasks: number, readonly inputDim: number, initSeed: number) {
    const rng = new Rng(initSeed);
    this.columns = new Columns(this.vars, rng, numTasks, inputDim, cfg.expertHidden);
    const H = cfg.expertHidden[cfg.expertHidden.length - 1];
    this.towers = new Towers(this.vars, rng, numTasks, new Array(numTasks).fill(H), cfg.towerHidden);
    this.variables = this.vars.list;
  }

  forward(x: tf.Tensor2D): ForwardResult {
    let hs = this.columns.first(x);
    for (let l = 1; l < this.columns.sizes.length; l++) hs = this.columns.layer(l, hs);
    return { outputs: this.towers.apply(hs), gates: [] };
  }
  gateInfo() {
    return [];
  }
  sharedParam() {
    return null;
  }
  parameterCount(): number {
    return this.columns.parameterCount() + this.towers.parameterCount();
  }
  async exportStructure() {
    const columns = [];
    for (let k = 0; k < this.numTasks; k++) columns.push({ task: k, input: 'input', layers: await this.columns.exportColumn(k) });
    return { columns, towers: (await this.towers.export()).map((layers, k) => ({ task: k, input: `column:${k}`, layers })) };
  }
  dispose(): void {
    this.vars.dispose();
    this.towers.dispose();
  }
}
