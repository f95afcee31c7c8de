// One-line explanations shown under the model picker.
import type { ModelType } from '../core/config/schema';

export const MODEL_BLURBS: Record<ModelType, string> = {
  'single-task': 'One separate network per task, trained on its own loss: the baseline every MTL gain is measured against.',
  'shared-bottom': 'Hard sharing: one bottom network for all tasks, one tower per task. Cheap, but unrelated tasks fight over the bottom (negative transfer).',
  asymmetric: 'Asymmetric sharing: one bottom per task; task k’s tower also reads task k−1’s bottom through a stop-gradient, so it uses those features without training them.',
  customized: 'Customized sharing: one bottom per task plus a shared bottom; tower k reads its own and the shared features concatenated. No gates: the split is fixed.',
  sluice: 'Sluice network: one column per task with each layer split into subspaces; learned α mix all tasks’ subspaces after every layer and learned β pick each task’s depth.',
  adatt: 'AdaTT: task-specific and shared expert groups fused per task by a gate over all experts, plus a residual connection to the task’s own experts.',
  esmm: 'ESMM: for chained binary tasks (click → conversion). A shared bottom, a CTR and a CVR tower; trained on all exposures through pCTCVR = pCTR × pCVR.',
  'cross-stitch': 'One column per task; after each layer a learned T×T matrix mixes the columns, so the model learns how much to share.',
  omoe: 'One-gate mixture of experts: shared experts mixed by ONE softmax gate, the same mixture for every task.',
  mmoe: 'Multi-gate mixture of experts: shared experts, one softmax gate per task, so each task picks its own mixture.',
  'ml-mmoe': 'MMoE stacked in levels: each level mixes shared experts through per-task gates.',
  cgc: 'Customized Gate Control: each task has its own experts plus shared ones; a task gate mixes only its own and the shared experts, which isolates the tasks’ gradients.',
  ple: 'Progressive Layered Extraction: CGC stacked in levels; a shared gate mixes all experts of a level for the next level’s shared experts.',
};
