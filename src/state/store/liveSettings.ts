// Edits while a run trains (issue 13, "nothing lost"): training settings — the
// learning rate and the task weights, as TensorFlow Playground applies its
// changes; the speed is live already — go to the running model at once; any
// other edit marks the run "config changed — Reset to apply".
import type { WorkerEvent } from '../../worker/protocol';
import { getAt, pathKey, type Path } from '../configEdit';
import { fieldLabel } from '../issueText';
import { getClient } from '../workerLink';
import { get, isBusy, set } from './base';

/** Config paths the running model takes live. */
export const LIVE_PATHS: ReadonlySet<string> = new Set(['train.learningRate', 'train.weighting.weights']);

/** After an edit of `path` (or of something named `what`), apply it live or mark the run stale. */
export function afterEdit(path: Path | null, what?: string) {
  if (!isBusy()) return;
  const key = path ? pathKey(path) : '';
  if (path && LIVE_PATHS.has(key)) return applyLive(path, key);
  const label = what ?? (path ? fieldLabel(key) : 'the config');
  set((s) => (s.stale.includes(label) ? {} : { stale: [...s.stale, label] }));
}

function applyLive(path: Path, key: string) {
  const { issues, draft } = get();
  // An invalid value is not sent: the field says why, and the model keeps the last good one.
  if (Object.keys(issues).some((k) => k === key || k.startsWith(key + '.'))) return;
  const value = getAt(draft, path);
  if (key === 'train.learningRate' && typeof value === 'number') getClient().send({ type: 'setTraining', learningRate: value });
  else if (key === 'train.weighting.weights' && Array.isArray(value)) getClient().send({ type: 'setTraining', taskWeights: value as number[] });
}

/** The worker's answer: what took effect, and from which step. */
export function onTrainingSet(e: Extract<WorkerEvent, { type: 'trainingSet' }>) {
  if (e.runId !== get().run.runId) return;
  const parts: string[] = [];
  if (e.learningRate !== undefined) parts.push(`learning rate ${e.learningRate}`);
  if (e.taskWeights) parts.push(`task weights ${e.taskWeights.join(', ')}`);
  const text = parts.length ? `Applied live from step ${e.step}: ${parts.join('; ')}.` : '';
  set({ liveNote: [text, e.skipped ? `Not applied: ${e.skipped}.` : ''].filter(Boolean).join(' ') || null });
}

/** A new run (or none): nothing is stale. */
export function clearStale() {
  set({ stale: [], liveNote: null });
}
