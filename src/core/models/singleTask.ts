// Single-task baseline: K truly independent models (bottom MLP + tower), one
// per task, trained side by side. Nothing is shared, and each task's model is
// its own independent group (own Adam state, own gradient clipping, own
// best-validation step; see MtlModel.independentGroups), so the baseline of a
// task does not depend on how many other tasks there are (SPEC §4).
import * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../config/schema';
import { Rng } from '../data/rng';
import { Columns } from './columns';
import type { ForwardResult, MtlModel } from './model';
import { VariableSet } from './ops';
import { Towers } from './towers';

interface TaskNet {
  vars: VariableSet;
  column: Columns;
  tower: Towers;
}

export class SingleTaskModel implements MtlModel {
  readonly type = 'single-task' as const;
  readonly variables: tf.Variable[];
  private readonly nets: TaskNet[];

  constructor(cfg: ResolvedModel, readonly numTasks: number, readonly inputDim: number, initSeed: number) {
    const rng = new Rng(initSeed);
    const H = cfg.expertHidden[cfg.expertHidden.length - 1];
    this.nets = Array.from({ length: numTasks }, (_, k) => {
      const vars = new VariableSet(`single-task/task${k}`);
      const column = new Columns(vars, rng, 1, inputDim, cfg.expertHidden);
      const tower = new Towers(vars, rng, 1, [H], cfg.towerHidden);
      return { vars, column, tower };
    });
    this.variables = this.nets.flatMap((n) => n.vars.list);
  }

  forward(x: tf.Tensor2D): ForwardResult {
    const outs = this.nets.map(({ column, tower }) => {
      let hs = column.first(x);
      for (let l = 1; l < column.sizes.length; l++) hs = column.layer(l, hs);
      return tower.apply(hs);
    });
    return { outputs: (outs.length === 1 ? outs[0] : tf.concat(outs, 1)) as tf.Tensor2D, gates: [] };
  }
  independentGroups() {
    return this.nets.map((n, k) => ({ tasks: [k], variables: n.vars.list }));
  }
  gateInfo() {
    return [];
  }
  sharedParam() {
    return null;
  }
  /** Independent nets: nothing is shared. */
  sharedParameters() {
    return [];
  }
  parameterCount(): number {
    return this.nets.reduce((s, n) => s + n.column.parameterCount() + n.tower.parameterCount(), 0);
  }
  async exportStructure() {
    const columns = [];
    const towers = [];
    for (const [k, n] of this.nets.entries()) {
      columns.push({ task: k, input: 'input', layers: await n.column.exportColumn(0) });
      towers.push({ task: k, input: `column:${k}`, layers: (await n.tower.export())[0] });
    }
    return { columns, towers };
  }
  dispose(): void {
    for (const n of this.nets) {
      n.vars.dispose();
      n.tower.dispose();
    }
  }
}
