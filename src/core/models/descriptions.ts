// One paragraph per model family for the model picker and the CLI's listing:
// what the model shares, how, and what to look for. Plain text, no TF.js.
// Keep in step with the implementations in this folder.
import type { ModelType } from '../config/schema';

export const MODEL_DESCRIPTIONS: Record<ModelType, string> = {
  'single-task':
    'One separate network per task (a bottom MLP and a tower), each trained only on its own loss. Nothing is shared, so ' +
    'there is no transfer and no interference. It is the baseline: every MTL gain and the origin of the seesaw plot are ' +
    'measured against it, with the same data, seeds and training budget.',
  'shared-bottom':
    'Hard parameter sharing: one bottom MLP reads the input for all tasks, and each task has its own tower on top. It is the ' +
    'cheapest multi-task model and works when tasks are closely related; when they are not, their gradients pull the one ' +
    'shared bottom in different directions (negative transfer), which shows up as a loss on at least one task.',
  asymmetric:
    'Asymmetric sharing: each task has its own bottom MLP, and a task\'s tower also reads the bottom of the task before it ' +
    '(task k reads task k−1), through a stop-gradient. The reader uses the other task\'s features but never trains them, so ' +
    'the read task is protected from the reader\'s gradients; information flows one way only. With two tasks, task 2 reads ' +
    'task 1. Nothing is shared by gradient, so GradNorm falls back to fixed weights here.',
  customized:
    'Customized sharing: each task has its own bottom MLP, plus one bottom shared by all tasks; a task\'s tower reads the ' +
    'concatenation of its own bottom and the shared one. No gates: the split between private and shared features is fixed ' +
    'by the structure. A task\'s loss trains its own bottom and the shared one, never another task\'s bottom. CGC is this idea ' +
    'with experts and learned gates.',
  'cross-stitch':
    'Cross-Stitch network: one column (MLP) per task; after every layer, a learned K×K matrix replaces each column\'s ' +
    'activations with a weighted sum of all columns\'. The matrix starts near the identity (0.9 on the diagonal), so tasks ' +
    'start almost separate and learn how much to share at each depth. The sharing is the same for every input.',
  sluice:
    'Sluice network (Ruder et al.): like Cross-Stitch, one column per task, but every layer is split into two subspaces and a ' +
    'learned 2K×2K matrix α mixes all tasks\' subspaces after each layer, so a task can share one half of a layer and keep ' +
    'the other private. Learned weights β then let each task\'s tower read a weighted sum of all its layers (skip ' +
    'connections), choosing its depth. With α = identity and β on the last layer it is exactly single-task. (The paper\'s ' +
    'optional subspace-orthogonality penalty is not used.)',
  omoe:
    'One-gate mixture of experts: several shared expert MLPs and ONE softmax gate that mixes them, the same mixture for every ' +
    'task. The mixture depends on the input, unlike Shared-Bottom, but all tasks see the same blend, so it still cannot give ' +
    'two conflicting tasks different features.',
  mmoe:
    'Multi-gate mixture of experts (Ma et al., KDD 2018): shared experts, and one softmax gate per task computed from the ' +
    'input, so each task mixes the same experts in its own proportions. It copes with weakly related tasks better than ' +
    'Shared-Bottom. In the utilisation plot, the tasks\' gates often end up looking alike: nothing forces experts to specialise.',
  'ml-mmoe':
    'Multi-level MMoE: MMoE stacked in levels. At each level the experts read the previous level\'s mixtures, and a shared gate ' +
    'on every level but the last builds the input of the next level\'s experts. Deeper, but every expert is still shared by ' +
    'every task.',
  cgc:
    'Customized Gate Control (Tang et al., RecSys 2020, one level of PLE): each task owns some experts and a set of experts is ' +
    'shared; task k\'s gate mixes only its own experts and the shared ones. A task\'s loss therefore never reaches another ' +
    'task\'s experts or gate, which is meant to avoid the seesaw: one task improving at the other\'s expense. Expect clearly ' +
    'different task gates in the utilisation plot.',
  ple:
    'Progressive Layered Extraction (Tang et al., RecSys 2020): CGC stacked in levels. At each level, task experts and gates ' +
    'read their task\'s stream; a shared gate, on every level but the last, mixes ALL experts of the level into the input of ' +
    'the next level\'s shared experts. Task-specific and shared knowledge are separated step by step; with one level it is CGC.',
  adatt:
    'Adaptive Task-to-Task fusion (Li et al., KDD 2023, after Meta\'s AdaTT code): each task owns experts, optionally with ' +
    'shared ones, and every gate mixes ALL experts of its level, so a task can draw on other tasks\' experts as much as helps ' +
    '(unlike CGC). A residual self-connection always adds the task\'s own experts on top of the gated mix (weight 1 with one ' +
    'expert per module, else learned), which keeps each task anchored to its own features. Stacked in levels like PLE.',
  esmm:
    'Entire Space Multi-task Model (Ma et al., SIGIR 2018) for a click → conversion chain of two binary tasks: a shared bottom ' +
    'and a CTR tower and a CVR tower, with pCTCVR = pCTR × pCVR. It trains on every exposure with two losses, CTR and CTCVR ' +
    '(click and convert), so the CVR tower is learned on the entire space through the product instead of on clicked rows only ' +
    '(the sample-selection bias it fixes). Task 2\'s output is the CVR logit, scored on clicked rows; its training loss shown is ' +
    'the CTCVR loss. Needs two binary tasks with the sample-space chain on.',
};

/** The model picker's sentence for model.featureGates (MMoE, CGC, PLE). */
export const FEATURE_GATES_NOTE =
  'A softmax gate over the input features per task (and one for the shared experts) scales the raw features before that task\'s experts and gate, so tasks can read different features, e.g. "delivery time" for one business and not another.';

/** The model picker's sentence and labels for model.esmmBottom. */
export const ESMM_BOTTOM_NOTE =
  'Shared bottom: the ESMM paper. CGC: the same pCTR × pCVR structure over a CGC module, with experts of its own for CTR and for CVR plus shared ones, so the two towers can stop competing for one bottom.';
export const ESMM_BOTTOM_LABELS: Record<'shared' | 'cgc', string> = { shared: 'Shared bottom (paper)', cgc: 'CGC (task + shared experts)' };
