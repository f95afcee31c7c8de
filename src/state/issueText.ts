// Validation issues in words a person uses: the form's label, the list item in
// ordinal words, and what the field accepts — "Expert hidden sizes: the second
// layer must be a whole number from 1 to 1024" — never "model.expertHidden.1".
import { numberRuleAt } from '../core/config/rules';

interface FieldName {
  label: string;
  /** What one list entry is ("layer", "task's weight"). */
  item?: string;
}

const REGION = ['region 1 (rᵀx ≤ 0)', 'region 2 (rᵀx > 0)'];

/** The form's labels (ConfigPanel), by dotted path; `*` stands for a list index. */
const LABELS: Record<string, FieldName> = {
  'data.tasks': { label: 'Tasks' },
  'data.correlation': { label: 'Correlation p' },
  'data.correlationMatrix': { label: 'Correlation matrix', item: 'row' },
  'data.inputDim': { label: 'Input dimension d' },
  'data.scale': { label: 'Scale c' },
  'data.numSines': { label: 'Sine terms m' },
  'data.noiseStd': { label: 'Noise std σ' },
  'data.binaryLabel': { label: 'Binary labels' },
  'data.temperature': { label: 'Temperature T' },
  'data.chain': { label: 'Sample-space chain' },
  'data.nTrain': { label: 'Training rows' },
  'data.nVal': { label: 'Validation rows' },
  'data.nTest': { label: 'Test rows' },
  'data.seed': { label: 'Data seed' },
  'data.taskSeed': { label: 'Task seed' },
  'data.standardizeTargets': { label: 'Standardise regression targets' },
  'data.sineScale': { label: 'Sine weight s' },
  'data.relationship': { label: 'Task relationship' },
  'data.regionCorrelations': { label: 'Region correlations' },
  'model.type': { label: 'Model' },
  'model.levels': { label: 'Levels' },
  'model.sharedExperts': { label: 'Shared experts' },
  'model.specificExperts': { label: 'Specific experts', item: "task's count" },
  'model.expertHidden': { label: 'Expert hidden sizes', item: 'layer' },
  'model.towerHidden': { label: 'Tower hidden sizes', item: 'layer' },
  'model.gateHidden': { label: 'Gate hidden sizes', item: 'layer' },
  'model.gateBias': { label: 'Trained bias on the gates' },
  'train.learningRate': { label: 'Learning rate' },
  'train.batchSize': { label: 'Batch size' },
  'train.steps': { label: 'Steps' },
  'train.adamEpsilon': { label: 'Adam ε' },
  'train.clipNorm': { label: 'Gradient clip norm' },
  'train.weighting.kind': { label: 'Loss weighting' },
  'train.weighting.weights': { label: 'Task weights ω_k', item: "task's weight" },
  'train.weighting.gammas': { label: 'Decay γ_k', item: "task's γ" },
  'train.weighting.gradnormAlpha': { label: 'GradNorm α' },
  'train.weighting.gradnormLr': { label: 'GradNorm learning rate' },
  'train.initSeed': { label: 'Init seed' },
  'train.batchSeed': { label: 'Batch seed' },
  'train.evalEvery': { label: 'Validate every (steps)' },
  'train.readbackEvery': { label: 'Read loss every (steps)' },
  'train.gradCosineEvery': { label: 'Gradient cosine every (steps)' },
  'train.selectBest': { label: 'Test at the best validation step' },
  backend: { label: 'Backend' },
};

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
export const ordinal = (i: number) => ORDINALS[i] ?? `${i + 1}th`;

/** Context the labels depend on: the model type names the hidden-size field as the form does. */
export interface IssueContext {
  modelType?: string;
  /** Whether specific experts are a per-task list (its label differs). */
  perTaskSpecific?: boolean;
}

function fieldName(segs: string[], ctx: IssueContext): { name: FieldName; rest: string[] } | null {
  if (segs[0] === 'data' && segs[1] === 'tasks' && /^\d+$/.test(segs[2] ?? '')) return { name: { label: `Task ${Number(segs[2]) + 1} ${segs[3] === 'name' ? 'name' : 'type'}` }, rest: [] };
  if (segs[0] === 'data' && segs[1] === 'regionCorrelations' && /^\d+$/.test(segs[2] ?? '')) return { name: { label: `Correlation in ${REGION[Number(segs[2])] ?? `region ${Number(segs[2]) + 1}`}` }, rest: segs.slice(3) };
  for (let n = segs.length; n > 0; n--) {
    const key = segs.slice(0, n).join('.');
    let name = LABELS[key];
    if (!name) continue;
    if (key === 'model.expertHidden' && ctx.modelType && !['mmoe', 'omoe', 'ml-mmoe', 'cgc', 'ple', 'adatt'].includes(ctx.modelType))
      name = { ...name, label: ctx.modelType === 'shared-bottom' || ctx.modelType === 'esmm' ? 'Bottom hidden sizes' : 'Column hidden sizes' };
    if (key === 'model.specificExperts' && ctx.perTaskSpecific) name = { ...name, label: 'Specific experts per task' };
    return { name, rest: segs.slice(n) };
  }
  return null;
}

/** A number-shaped complaint (wrong type, NaN, out of range, not whole, missing): replaced by the field's rule. */
const NUMBER_COMPLAINT = /must be (a finite number|a whole number|a number|between|at least|greater than)|is required|^expected number|^Invalid input/;

/** One issue as a sentence: "<label>: <what is wrong>". */
export function describeIssue(issue: { path: string; message: string; code?: string }, ctx: IssueContext = {}): string {
  const segs = issue.path ? issue.path.split('.') : [];
  const found = segs.length ? fieldName(segs, ctx) : null;
  if (!found) return issue.path ? `${issue.path.split('.').filter((s) => !/^\d+$/.test(s)).pop()}: ${issue.message}` : issue.message;
  const { name, rest } = found;
  const index = rest.length && /^\d+$/.test(rest[0]) ? Number(rest[0]) : null;
  const col = rest.length > 1 && /^\d+$/.test(rest[1]) ? Number(rest[1]) : null;
  // A matrix entry reads by row and column; a list entry by its ordinal.
  const subject = index !== null && col !== null ? `the entry in row ${index + 1}, column ${col + 1}` : index !== null ? `the ${ordinal(index)} ${name.item ?? 'entry'}` : '';
  const rule = numberRuleAt(segs.map((s) => (/^\d+$/.test(s) ? Number(s) : s)));
  let detail: string;
  if (rule && (NUMBER_COMPLAINT.test(issue.message) || issue.code === 'invalid_union' || issue.code === 'invalid_type')) {
    const got = /\(got (-?[\d.e+-]+)\)$/.exec(issue.message)?.[1];
    detail = `must be ${rule}${got !== undefined ? ` (got ${got})` : ''}`;
  } else {
    // The schema's own sentence, minus a leading "<schema name>: " that repeats the label.
    detail = issue.message.replace(/^[a-zA-Zσγω_ ]+: (?=\S)/, '');
  }
  return `${name.label}: ${subject ? subject + ' ' : ''}${detail}`;
}

/** Every issue, joined into one message (notices: a link, a file). */
export function describeIssues(issues: { path: string; message: string; code?: string }[], ctx: IssueContext = {}): string {
  return issues.map((i) => describeIssue(i, ctx)).join('; ');
}

export function issueContext(draft: unknown): IssueContext {
  const model = (draft as { model?: { type?: unknown; specificExperts?: unknown } } | null)?.model;
  return { modelType: typeof model?.type === 'string' ? model.type : undefined, perTaskSpecific: Array.isArray(model?.specificExperts) };
}

/** The form's label of a dotted path ("train.batchSize" → "Batch size"). */
export function fieldLabel(path: string, ctx: IssueContext = {}): string {
  const found = fieldName(path.split('.'), ctx);
  return found ? found.name.label : path.split('.').filter((s) => !/^\d+$/.test(s)).pop() ?? path;
}
