// The config draft: the form's edits, presets, imported files and the URL hash,
// validated on every change into `parsed`, `issues`, `locked` and Train's `blocker`.
import { getPreset } from '../../core/config/presets';
import { expandPreset } from '../../core/config/suite';
import { parseExperiment, type BackendChoice, type ExperimentConfig } from '../../core/config/schema';
import { deepMerge, isPlainObject, setAt, type Path } from '../configEdit';
import { buildSuiteRuns, suiteBase, suiteOverrides, suitePreset } from '../suiteSetup';
import { parseSeedList, readHash, writeHash } from '../urlHash';
import { resetTradeoffGrid, setTradeoffModelsList, setTradeoffRatiosText, TRADEOFF_ID, tradeoffGridBlocker, tradeoffHashFields } from '../tradeoffGrid';
import { describeIssue, describeIssues, issueContext } from '../issueText';
import { confirmDiscard } from '../runGuard';
import { get, initialDraft, isBusy, set } from './base';
import { afterEdit } from './liveSettings';
import { notify } from './notices';
import { clearRun, stopRun } from './run';
import { initBackend } from './worker';

export function seedsOf(text: string): number[] | null {
  const r = parseSeedList(text);
  return r.ok ? r.seeds : null;
}

/** Recompute validation, Train's blocker and the URL hash from the draft. */
export function revalidate(writeUrl = true) {
  const { draft, suiteId, seedsText, worker, run } = get();
  const parsed = parseExperiment(draft);
  const issues: Record<string, string> = {};
  const ctx = issueContext(draft);
  if (!parsed.ok) for (const i of parsed.issues) if (!(i.path in issues)) issues[i.path] = describeIssue(i, ctx);
  let blocker: string | null = null;
  let locked = new Set<string>();
  let runCount = 1;
  const preset = suitePreset(suiteId);
  if (!parsed.ok) {
    const n = parsed.issues.length;
    blocker = `Fix ${n === 1 ? 'the invalid field' : `${n} invalid fields`} first: ${describeIssue(parsed.issues[0], ctx)}`;
  }
  if (preset) {
    const seedList = parseSeedList(seedsText);
    if (!seedList.ok) {
      issues['suite.seeds'] = seedList.message;
      blocker ??= `Fix the seeds first: ${seedList.message}`;
    } else {
      locked = suiteBase(preset, seedList.seeds, parsed.ok ? parsed.config.train.steps : preset.steps).locked;
      if (parsed.ok) {
        const built = buildSuiteRuns(preset, seedList.seeds, parsed.config);
        if (!built.ok) blocker ??= built.message;
        else runCount = built.runs.length;
      }
    }
  }
  if (preset?.tradeoff) blocker ??= tradeoffGridBlocker();
  if (worker.status === 'crashed') blocker ??= 'The training worker crashed: restart it first.';
  if (run.phase === 'starting') blocker ??= 'Starting…';
  set({ parsed, issues, blocker, locked, runCount });
  if (writeUrl && parsed.ok && !blocker?.startsWith('Fix the seeds')) writeUrlHash();
}

let lastHash = '';
function writeUrlHash() {
  const { suiteId, parsed, draft, seedsText } = get();
  if (!parsed.ok) return;
  let hash: string;
  const preset = suitePreset(suiteId);
  const seeds = seedsOf(seedsText);
  if (preset && seeds) {
    const sb = suiteBase(preset, seeds, parsed.config.train.steps);
    const overrides = suiteOverrides(draft, sb);
    const cfg = parsed.config.train.steps !== preset.steps ? deepMerge(overrides, { train: { steps: parsed.config.train.steps } }) : overrides;
    const sameSeeds = seeds.length === preset.seeds.length && seeds.every((s, i) => s === preset.seeds[i]);
    const grid = preset.tradeoff ? tradeoffHashFields() : {};
    hash = writeHash({ presetId: preset.id, seeds: sameSeeds ? null : seeds, config: cfg, ...(Object.keys(grid).length ? { tradeoff: grid } : {}) });
  } else hash = writeHash({ presetId: null, seeds: null, config: parsed.config as unknown as Record<string, unknown> });
  lastHash = hash;
  if (typeof location !== 'undefined' && location.hash !== hash) history.replaceState(null, '', hash);
}

export function setField(path: Path, value: unknown) {
  set((s) => ({ draft: setAt(s.draft, path, value) }));
  revalidate();
  afterEdit(path);
  if (path[0] === 'backend' && get().run.phase === 'idle') initBackend();
}

/** Change the task count, resizing every per-task list so the draft stays consistent. */
export function setTaskCount(n: number) {
  const { draft } = get();
  const data = (draft.data ?? {}) as Record<string, unknown>;
  const tasks = [...((data.tasks as unknown[]) ?? [])];
  if (!Number.isInteger(n) || n < 2 || n > 6) return;
  while (tasks.length < n) tasks.push({ type: 'regression' });
  tasks.length = n;
  let next = setAt(draft, ['data', 'tasks'], tasks);
  const resize = (path: Path, fill: number) => {
    const cur = path.reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k as string], next);
    if (Array.isArray(cur)) {
      const arr = [...cur];
      while (arr.length < n) arr.push(fill);
      arr.length = n;
      next = setAt(next, path, arr);
    }
  };
  resize(['model', 'specificExperts'], 1);
  resize(['train', 'weighting', 'weights'], 1);
  resize(['train', 'weighting', 'gammas'], 1);
  const m = (data.correlationMatrix as number[][] | null) ?? null;
  if (m) {
    const p = typeof data.correlation === 'number' ? data.correlation : 0.5;
    const R = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : (m[i]?.[j] ?? p))));
    next = setAt(next, ['data', 'correlationMatrix'], R);
  }
  // A region given as a matrix (from a file or link) follows the task count: new tasks start uncorrelated.
  const rc = data.regionCorrelations;
  if (Array.isArray(rc) && rc.some(Array.isArray)) {
    const resized = rc.map((e) =>
      Array.isArray(e) ? Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : ((e as number[][])[i]?.[j] ?? 0)))) : e,
    );
    next = setAt(next, ['data', 'regionCorrelations'], resized);
  }
  set({ draft: next });
  revalidate();
  afterEdit(null, 'Number of tasks');
}

export function setSeedsText(text: string) {
  set({ seedsText: text });
  revalidate();
  afterEdit(null, 'Seeds');
}

/** The trade-off sweep's ratios field (tradeoffGrid.ts): the suite is rebuilt from it on the next Play. */
export function setTradeoffRatios(text: string) {
  setTradeoffRatiosText(text);
  revalidate();
  afterEdit(null, 'Weight ratios');
}

/** The trade-off sweep's model picker. */
export function setTradeoffModels(models: string[]) {
  setTradeoffModelsList(models);
  revalidate();
  afterEdit(null, 'Models of the sweep');
}

export function loadPreset(id: string) {
  const preset = getPreset(id);
  if (!preset) return notify('error', `Unknown preset "${id}".`);
  if (!confirmDiscard(`Loading the preset "${preset.title}"`)) return;
  if (isBusy()) stopRun();
  // The backend is a property of this machine, not of the experiment: keep it.
  const backend = (get().draft.backend as BackendChoice) ?? 'auto';
  if (id === TRADEOFF_ID) resetTradeoffGrid();
  if (preset.kind === 'suite') {
    const seeds = preset.seeds;
    const { base } = suiteBase(preset, seeds, preset.steps);
    set({ suiteId: id, presetId: id, seedsText: seeds.join(', '), draft: { ...(structuredClone(base) as unknown as Record<string, unknown>), backend } });
  } else {
    const run = expandPreset(preset)[0];
    set({ suiteId: null, presetId: id, draft: { ...(structuredClone(run.config) as unknown as Record<string, unknown>), backend } });
  }
  clearRun();
  revalidate();
}

/** Leave a suite: keep the form's config as a single run. */
export function leaveSuite() {
  if (!confirmDiscard('Leaving the suite')) return;
  if (isBusy()) stopRun();
  set({ suiteId: null, presetId: null });
  clearRun();
  revalidate();
}

export function loadConfigObject(input: unknown, source: string): boolean {
  const r = parseExperiment(input);
  if (!r.ok) {
    notify('error', `${source} is not a valid config: ${describeIssues(r.issues, issueContext(input))}`);
    return false;
  }
  if (!confirmDiscard(`Loading the config from ${source}`)) return false;
  if (isBusy()) stopRun();
  set({ suiteId: null, presetId: null, draft: structuredClone(r.config) as unknown as Record<string, unknown> });
  clearRun();
  revalidate();
  notify('info', `Loaded the config from ${source}.`);
  return true;
}

/** Import a config JSON file's text (a bare config, or results/model JSON that carries one under "config"). */
export function importConfigText(text: string, fileName: string): boolean {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    notify('error', `${fileName} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
  // results.json and model.json carry the config under "config"; a bare config has no such key.
  const cfg = isPlainObject(json) && isPlainObject(json.config) ? json.config : json;
  return loadConfigObject(cfg, fileName);
}

/** Apply the URL hash (on load and when the user edits it). */
export function applyHash(hash: string) {
  if (hash === lastHash && hash !== '') return;
  const r = readHash(hash);
  if (!r.ok) {
    notify('warn', r.notice);
    set({ suiteId: null, presetId: null, draft: initialDraft(), seedsText: '1' });
    // The bad link leaves the address bar: it shows the state the page really loaded.
    revalidate(true);
    return;
  }
  if (!r.state) return revalidate(false);
  for (const n of r.notices ?? []) notify('warn', n);
  const { presetId, seeds, config } = r.state;
  if (presetId === TRADEOFF_ID) {
    resetTradeoffGrid();
    if (r.state.tradeoff?.ratios) setTradeoffRatiosText(r.state.tradeoff.ratios.join(', '));
    if (r.state.tradeoff?.models) setTradeoffModelsList(r.state.tradeoff.models);
  }
  const preset = presetId ? getPreset(presetId) : null;
  if (preset && preset.kind === 'suite') {
    const s = seeds ?? preset.seeds;
    const steps = ((config.train as Record<string, unknown> | undefined)?.steps as number | undefined) ?? preset.steps;
    let base: ExperimentConfig;
    try {
      base = suiteBase(preset, s, steps).base;
    } catch (e) {
      notify('warn', `The link's suite settings are invalid (${e instanceof Error ? e.message : String(e)}); loaded the defaults instead.`);
      set({ suiteId: null, presetId: null, draft: initialDraft() });
      return revalidate(true);
    }
    // A preset link that names no backend keeps this machine's choice (as the preset buttons do).
    const backend = config.backend ?? get().draft.backend;
    const draft = deepMerge(structuredClone(base) as unknown as Record<string, unknown>, { ...config, backend });
    const check = parseExperiment(draft);
    if (!check.ok) {
      notify('warn', `The config in the link is invalid (${describeIssues(check.issues, issueContext(draft))}); loaded the defaults instead.`);
      set({ suiteId: null, presetId: null, draft: initialDraft() });
      return revalidate(true);
    }
    set({ suiteId: preset.id, presetId: preset.id, seedsText: s.join(', '), draft: structuredClone(check.config) as unknown as Record<string, unknown> });
  } else {
    const check = parseExperiment(config);
    if (!check.ok) return;
    set({ suiteId: null, presetId: preset?.id ?? null, draft: structuredClone(check.config) as unknown as Record<string, unknown> });
  }
  lastHash = hash;
  // Parts of the link that were dropped (with a notice) leave the address bar too.
  revalidate(!!r.notices?.length);
}
