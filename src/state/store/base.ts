// The one Zustand store of the page and its state's shape. Actions live in the
// files beside this one, by concern (draft, worker, run, history, view, notices);
// ../store.ts composes them into the module every component imports.
import { create } from 'zustand';
import { DEFAULT_CONFIG, type BackendChoice, type ParseResult } from '../../core/config/schema';
import type { ExperimentResults } from '../../core/types';
import type { BackendAttempt, BackendName, SuiteRunSpec } from '../../worker/protocol';
import type { StoredRun } from '../runHistory';

export type Phase = 'idle' | 'starting' | 'running' | 'paused' | 'done' | 'diverged' | 'stopped' | 'error';

export interface RunInfo {
  runId: string | null;
  kind: 'single' | 'suite';
  title: string;
  presetId: string | null;
  specs: SuiteRunSpec[];
  labels: string[];
  runIndex: number;
  startedAt: number;
  phase: Phase;
  diverged: { step: number; message: string; name: string; runIndex: number }[];
  error: string | null;
  /** Run indexes training now (a suite on a pool of workers trains several at once). */
  active: number[];
  /** Workers the suite runs on. */
  workers: number;
  /** Runs of a suite that could not finish (their worker crashed twice, or the run failed), with why. */
  failed: { runIndex: number; name: string; message: string }[];
  /** A saved run re-opened from the run list: charts from its stored results, no worker run behind it. */
  reopened?: boolean;
}

export interface WorkerInfo {
  status: 'starting' | 'ready' | 'crashed';
  choice: BackendChoice;
  backend: BackendName | null;
  attempts: BackendAttempt[];
  adapterInfo?: string;
  message: string | null;
}

export interface Notice {
  id: number;
  kind: 'info' | 'warn' | 'error';
  text: string;
}

export interface PlaygroundState {
  /** 'single' edits one config; a suite preset id locks what the suite varies. */
  suiteId: string | null;
  /** Preset last loaded (single or suite), for its description. */
  presetId: string | null;
  draft: Record<string, unknown>;
  seedsText: string;
  parsed: ParseResult;
  issues: Record<string, string>;
  /** Why Train is disabled, or null. */
  blocker: string | null;
  locked: Set<string>;
  notices: Notice[];
  worker: WorkerInfo;
  run: RunInfo;
  /** Finished results of the current run/suite, by run index. */
  results: (ExperimentResults | null)[];
  speed: number;
  history: StoredRun[];
  historyError: string | null;
  /** Title of a finished run whose save failed (kept in memory for "Save again"). */
  unsavedTitle: string | null;
  /** Selected for comparison: `${storedId}#${index}`. */
  compare: string[];
  whisker: 'std' | 'variance';
  logScale: boolean;
  /** Run index the curves/diagram/timeline show; null follows the run in progress. */
  viewRun: number | null;
  /** Runs the draft would start (1 for a single config; a suite's model × seed count). */
  runCount: number;
  /** Workers a suite runs on, as the user set it; null: the default (see defaultPoolSize). */
  poolSize: number | null;
  /** Edits made during a run that the run cannot take live (runGuard.ts): "config changed — Reset to apply". */
  stale: string[];
  /** The last live change applied to the running model, in words (liveSettings.ts). */
  liveNote: string | null;
}

export const emptyRun = (): RunInfo => ({
  runId: null,
  kind: 'single',
  title: '',
  presetId: null,
  specs: [],
  labels: [],
  runIndex: 0,
  startedAt: 0,
  phase: 'idle',
  diverged: [],
  error: null,
  active: [],
  workers: 1,
  failed: [],
});

export const initialDraft = () => structuredClone(DEFAULT_CONFIG) as unknown as Record<string, unknown>;

export const usePlayground = create<PlaygroundState>(() => ({
  suiteId: null,
  presetId: null,
  draft: initialDraft(),
  seedsText: '1',
  parsed: { ok: true, config: DEFAULT_CONFIG },
  issues: {},
  blocker: null,
  locked: new Set(),
  notices: [],
  worker: { status: 'starting', choice: DEFAULT_CONFIG.backend, backend: null, attempts: [], message: null },
  run: emptyRun(),
  results: [],
  speed: 0,
  history: [],
  historyError: null,
  unsavedTitle: null,
  compare: [],
  whisker: 'std',
  logScale: false,
  viewRun: null,
  runCount: 1,
  poolSize: null,
  stale: [],
  liveNote: null,
}));

export const get = usePlayground.getState;
export const set = usePlayground.setState;

export const isBusy = () => ['starting', 'running', 'paused'].includes(get().run.phase);

export function newId() {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `run-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** Most workers a suite may use (each holds its own TF.js and data). */
export const MAX_POOL_SIZE = 16;

/** The default pool: one worker per core but one (the page keeps a core), capped by the run count, at least 1. */
export function defaultPoolSize(runCount: number, cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : undefined): number {
  const c = Number.isFinite(cores) && (cores as number) > 0 ? (cores as number) : 2;
  return Math.max(1, Math.min(c - 1, runCount, MAX_POOL_SIZE));
}

/** Workers the next suite runs on. */
export function poolSizeFor(s: Pick<PlaygroundState, 'poolSize' | 'runCount'>): number {
  return s.poolSize ?? defaultPoolSize(s.runCount);
}
