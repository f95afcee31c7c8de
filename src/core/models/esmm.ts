// ESMM, Entire Space Multi-task Model (Ma et al., SIGIR 2018), for two chained
// binary tasks: task 1 = click (CTR, every exposure), task 2 = conversion,
// observed only after a click (the generator's sample-space chain).
//  - Body: a shared bottom (the dense-feature stand-in for ESMM's shared
//    embedding table) and two towers: a CTR tower and a CVR tower.
//  - pCTCVR = pCTR × pCVR. Training uses two losses over ALL exposures, never
//    the clicked subset: L_CTR = BCE(pCTR, click) and
//    L_CTCVR = BCE(pCTR·pCVR, click·conversion). pCVR has no loss of its own:
//    it is learned through the product, on the entire space, which is how
//    ESMM avoids the sample-selection bias of training CVR on clicks only.
//  - Outputs (what metrics, model.json and the page read): column 0 = the CTR
//    logit, column 1 = the CVR logit, i.e. logit P(conversion | click, x).
//    Task 2's metrics are computed on the clicked rows by the ordinary masked
//    metrics, so they measure pCVR where conversion is observed.
//    pCTCVR = sigmoid(out0)·sigmoid(out1).
//  - The per-task training losses the trainer records are [L_CTR, L_CTCVR].
// All losses are computed from logits in log space (never log of a product
// of probabilities): −log p = sp(−a) + sp(−b), −log(1 − p) =
// sp(−a) + sp(−b) − LSE(−a, −b, −a−b), with sp the softplus.
//
// Structural export: as shared-bottom (`bottom`, towers read `bottom`), plus
// `esmm = { ctr: 0, cvr: 1, ctcvr: 'sigmoid(out0)·sigmoid(out1)' }`.
//
// model.esmmBottom = "cgc" (the brief's Meituan hybrid): the body is a CGC
// module instead of the shared bottom: task-specific experts for CTR and for
// CVR, shared experts, and a gate per task (the same GatedExpertsModel CGC
// runs on, with its export: `levels` and towers reading `task:0`, `task:1`).
// The ESMM structure on top (pCTCVR = pCTR × pCVR, losses over every
// exposure) is unchanged.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../config/schema';
import { Rng } from '../data/rng';
import type { TaskLoss } from '../train/losses';
import type { ForwardResult, MtlModel, SharedParam, SharedSlice } from './model';
import { applyMlp, makeMlp, VariableSet, type Dense } from './ops';
import { exportMlp, Towers } from './towers';
import { GatedExpertsModel } from './gatedExperts';

/** softplus(z) = log(1 + e^z), stable for any z. */
function softplus(z: tf.Tensor): tf.Tensor {
  return tf.add(tf.relu(z), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
}

/**
 * Per-row ESMM losses from the CTR and CVR logits a, b ([B]) and the labels.
 * Returns [B, 2]: BCE(σ(a), click), BCE(σ(a)σ(b), click·conversion).
 */
export function esmmRowLosses(a: tf.Tensor1D, b: tf.Tensor1D, click: tf.Tensor1D, conversion: tf.Tensor1D): tf.Tensor2D {
  const spa = softplus(tf.neg(a)); // −log σ(a)
  const spb = softplus(tf.neg(b));
  // BCE(σ(a), y) = sp(−a) + (1 − y)·a
  const ctr = tf.add(spa, tf.mul(tf.sub(1, click), a));
  const z = tf.mul(click, conversion);
  const lse = tf.logSumExp(tf.stack([tf.neg(a), tf.neg(b), tf.neg(tf.add(a, b))], 1), 1);
  // −[z·log p + (1 − z)·log(1 − p)] = sp(−a) + sp(−b) − (1 − z)·LSE(−a, −b, −a−b)
  const ctcvr = tf.sub(tf.add(spa, spb), tf.mul(tf.sub(1, z), lse));
  return tf.stack([ctr, ctcvr], 1) as tf.Tensor2D;
}

export class EsmmModel implements MtlModel {
  readonly type = 'esmm' as const;
  readonly variables: tf.Variable[];
  readonly bottom: Dense[];
  readonly towers: Towers | null;
  /** esmmBottom "cgc": the CGC body and its towers (bottom and towers are then unused). */
  private readonly cgc: GatedExpertsModel | null;
  private readonly vars = new VariableSet('esmm');

  constructor(cfg: ResolvedModel, readonly numTasks: number, readonly inputDim: number, initSeed: number) {
    if (numTasks !== 2) throw new Error(`ESMM needs exactly 2 tasks (got ${numTasks})`);
    if (cfg.esmmBottom === 'cgc') {
      this.cgc = new GatedExpertsModel({ ...cfg, type: 'cgc', levels: 1, featureGates: false }, 2, inputDim, initSeed);
      this.bottom = [];
      this.towers = null;
      this.variables = this.cgc.variables;
      return;
    }
    this.cgc = null;
    const rng = new Rng(initSeed);
    this.bottom = makeMlp(this.vars, rng, inputDim, cfg.expertHidden, 'bottom');
    const H = cfg.expertHidden[cfg.expertHidden.length - 1];
    this.towers = new Towers(this.vars, rng, 2, [H, H], cfg.towerHidden);
    this.variables = this.vars.list;
  }

  forward(x: tf.Tensor2D, opts: { gates?: boolean } = {}): ForwardResult {
    if (this.cgc) return this.cgc.forward(x, { gates: opts.gates });
    const h = applyMlp(x, this.bottom, true, true);
    return { outputs: this.towers!.apply([h, h]), gates: [] };
  }

  /** [L_CTR, L_CTCVR], both means over every row of the batch (the mask is ignored on purpose). */
  taskLoss(outputs: tf.Tensor2D, y: tf.Tensor2D, _mask: tf.Tensor2D | null, _base: TaskLoss): tf.Tensor1D {
    const [a, b] = tf.unstack(outputs, 1) as tf.Tensor1D[];
    const [click, conversion] = tf.unstack(y, 1) as tf.Tensor1D[];
    return tf.mean(esmmRowLosses(a, b, click, conversion), 0) as tf.Tensor1D;
  }

  gateInfo() {
    return this.cgc ? this.cgc.gateInfo() : [];
  }
  sharedParam(): SharedParam | null {
    return this.cgc ? this.cgc.sharedParam() : { variable: this.bottom[this.bottom.length - 1].W };
  }
  /** The whole shared bottom (CGC body: its shared experts). */
  sharedParameters(): SharedSlice[] {
    return this.cgc ? this.cgc.sharedParameters() : this.bottom.flatMap((l) => [{ variable: l.W }, { variable: l.b }]);
  }
  parameterCount(): number {
    if (this.cgc) return this.cgc.parameterCount();
    return this.bottom.reduce((s, l) => s + l.inDim * l.outDim + l.outDim, 0) + this.towers!.parameterCount();
  }
  async exportStructure() {
    const esmm = { ctr: 0, cvr: 1, ctcvr: 'sigmoid(out0)·sigmoid(out1)' };
    if (this.cgc) return { ...(await this.cgc.exportStructure()), esmm };
    return {
      bottom: { layers: await exportMlp(this.bottom, true) },
      towers: (await this.towers!.export()).map((layers, k) => ({ task: k, input: 'bottom', layers })),
      esmm,
    };
  }
  dispose(): void {
    this.cgc?.dispose();
    this.vars.dispose();
    this.towers?.dispose();
  }
}
