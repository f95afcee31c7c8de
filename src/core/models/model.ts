// The one interface every model family implements. The trainer, metrics,
// gate statistics and export never switch on the model type.
import type * as tf from '@tensorflow/tfjs';
import type { ModelType } from '../config/schema';
import type { TaskLoss } from '../train/losses';
import type { GateInfo } from '../types';
import type { FeatureGateInfo } from './featureGates';

export interface GateOutput {
  info: GateInfo;
  /** [B, experts this gate mixes] — rows sum to 1. */
  weights: tf.Tensor2D;
}

export interface ForwardResult {
  /** [B, K]: one column per task (a logit for binary tasks). */
  outputs: tf.Tensor2D;
  /** Every gate at every level; empty unless asked for (costs kernels). */
  gates: GateOutput[];
  /** Feature-selection gates (model.featureGates), when asked for: [B, d] weights, rows sum to 1. */
  featureGates?: { info: FeatureGateInfo; weights: tf.Tensor2D }[];
}

/** The parameter whose per-task gradient norms GradNorm balances. */
export interface SharedParam {
  variable: tf.Variable;
  /** Column range of a 2-D packed variable that belongs to the shared layer. */
  cols?: [number, number];
}

/**
 * A block of shared parameters for the gradient-conflict probe: the whole
 * variable, or a range of its LAST axis (`cols`) and/or its FIRST axis
 * (`lead`, e.g. one expert of a stacked [E, in, out] deep layer).
 */
export interface SharedSlice {
  variable: tf.Variable;
  cols?: [number, number];
  lead?: [number, number];
}

/** Merge adjacent slices of one variable (fewer slice kernels in the probe). */
export function mergeSlices(slices: SharedSlice[]): SharedSlice[] {
  const out: SharedSlice[] = [];
  for (const s of slices) {
    const prev = out[out.length - 1];
    if (prev && prev.variable === s.variable && !prev.lead && !s.lead && prev.cols && s.cols && prev.cols[1] === s.cols[0]) prev.cols = [prev.cols[0], s.cols[1]];
    else if (prev && prev.variable === s.variable && !prev.cols && !s.cols && prev.lead && s.lead && prev.lead[1] === s.lead[0]) prev.lead = [prev.lead[0], s.lead[1]];
    else out.push({ ...s, ...(s.cols ? { cols: [...s.cols] as [number, number] } : {}), ...(s.lead ? { lead: [...s.lead] as [number, number] } : {}) });
  }
  return out;
}

/** A dense layer in the structural export: y = x·W + b, W is [in][out]. */
export interface DenseJson {
  W: number[][];
  b: number[];
  /** 'softmax' only on a gate's final layer (over the experts it mixes). */
  activation: 'relu' | 'linear' | 'softmax';
}

export interface MtlModel {
  readonly type: ModelType;
  readonly numTasks: number;
  readonly inputDim: number;
  /** Every trainable variable, explicitly. */
  readonly variables: tf.Variable[];
  forward(x: tf.Tensor2D, opts?: { gates?: boolean; featureGates?: boolean }): ForwardResult;
  /** Feature-selection gates (model.featureGates), in ForwardResult.featureGates order; absent or [] without. */
  featureGateInfo?(): FeatureGateInfo[];
  /** Static description of every gate (same order as ForwardResult.gates). */
  gateInfo(): GateInfo[];
  /** Shared layer for GradNorm; null when nothing is shared (single-task). */
  sharedParam(): SharedParam | null;
  /**
   * Every parameter more than one task's loss reaches, as the family defines
   * "shared" (gradient-conflict probe); [] when nothing is shared (single-task).
   */
  sharedParameters(): SharedSlice[];
  /** The model laid out by its structure (levels → modules → experts → layers), not by packed variables. */
  exportStructure(): Promise<Record<string, unknown>>;
  /** Trainable parameter count as the structure sees it (packing padding excluded). */
  parameterCount(): number;
  /**
   * Truly independent sub-models (single-task: one per task), each trained with
   * its own optimizer state and clipping and selected on its own validation
   * loss. Absent: the whole model is one group.
   */
  independentGroups?(): { tasks: number[]; variables: tf.Variable[] }[];
  /**
   * Optional model-specific training loss (ESMM): per-task losses [K] from the
   * raw outputs, replacing `base.perTask(outputs, y, mask)` in the trainer.
   * Metrics still read `outputs` through the ordinary masked metrics.
   */
  taskLoss?(outputs: tf.Tensor2D, y: tf.Tensor2D, mask: tf.Tensor2D | null, base: TaskLoss): tf.Tensor1D;
  dispose(): void;
}
