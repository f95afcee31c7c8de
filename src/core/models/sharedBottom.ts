// Shared-Bottom (hard parameter sharing): one shared MLP, one tower per task.
import type * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../config/schema';
import { Rng } from '../data/rng';
import type { ForwardResult, MtlModel, SharedParam, SharedSlice } from './model';
import { applyMlp, makeMlp, VariableSet, type Dense } from './ops';
import { exportMlp, Towers } from './towers';

export class SharedBottomModel implements MtlModel {
  readonly type = 'shared-bottom' as const;
  readonly variables: tf.Variable[];
  readonly bottom: Dense[];
  readonly towers: Towers;
  private readonly vars = new VariableSet('shared-bottom');

  constructor(cfg: ResolvedModel, readonly numTasks: number, readonly inputDim: number, initSeed: number) {
    const rng = new Rng(initSeed);
    this.bottom = makeMlp(this.vars, rng, inputDim, cfg.expertHidden, 'bottom');
    const H = cfg.expertHidden[cfg.expertHidden.length - 1];
    this.towers = new Towers(this.vars, rng, numTasks, new Array(numTasks).fill(H), cfg.towerHidden);
    this.variables = this.vars.list;
  }

  forward(x: tf.Tensor2D): ForwardResult {
    const h = applyMlp(x, this.bottom, true, true);
    return { outputs: this.towers.apply(new Array(this.numTasks).fill(h)), gates: [] };
  }
  gateInfo() {
    return [];
  }
  sharedParam(): SharedParam {
    return { variable: this.bottom[this.bottom.length - 1].W };
  }
  /** The whole shared bottom. */
  sharedParameters(): SharedSlice[] {
    return this.bottom.flatMap((l) => [{ variable: l.W }, { variable: l.b }]);
  }
  parameterCount(): number {
    return this.bottom.reduce((s, l) => s + l.inDim * l.outDim + l.outDim, 0) + this.towers.parameterCount();
  }
  async exportStructure() {
    return {
      bottom: { layers: await exportMlp(this.bottom, true) },
      towers: (await this.towers.export()).map((layers, k) => ({ task: k, input: 'bottom', layers })),
    };
  }
  dispose(): void {
    this.vars.dispose();
    this.towers.dispose();
  }
}
