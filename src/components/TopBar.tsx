// Run controls, counters that update without re-rendering React (transient
// subscription to the live store), suite progress and the backend badge.
import { useEffect, useRef } from 'react';
import { liveStore } from '../state/live';
import { EtaEstimator, fmtRange } from '../state/estimate';
import { planCount, planText } from '../state/planCount';
import { pause, play, reset, setSpeed, stepOnce, usePlayground } from '../state/store';
import { useTradeoffGrid } from '../state/tradeoffGrid';
import { probeSummary } from '../worker/probeText';

const SPEEDS: [number, string][] = [
  [0, 'max'],
  [100, '100 steps/s'],
  [30, '30 steps/s'],
  [10, '10 steps/s'],
  [3, '3 steps/s'],
  [1, '1 step/s'],
];

function totalSteps(specs: { config: { train?: { steps?: number } } }[]): number[] {
  return specs.map((s) => s.config.train?.steps ?? 0);
}

/** Step counter, steps/s, progress and time left, written straight into the DOM. */
function LiveCounters() {
  const stepRef = useRef<HTMLSpanElement>(null);
  const rateRef = useRef<HTMLSpanElement>(null);
  const barRef = useRef<HTMLProgressElement>(null);
  const etaRef = useRef<HTMLSpanElement>(null);
  const runRef = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const eta = new EtaEstimator();
    let etaRun: string | null = null;
    const update = () => {
      const live = liveStore.getState();
      const { run, results } = usePlayground.getState();
      const cur = live.runs[live.current];
      const steps = totalSteps(run.specs);
      const all = steps.reduce((a, b) => a + b, 0);
      const step = cur?.step ?? 0;
      // Runs finish in any order on a pool of workers: a finished (or failed) run counts whole, the others by their step.
      const over = (i: number) => !!results[i] || run.failed.some((f) => f.runIndex === i);
      const progressed = run.phase === 'done' ? all : steps.reduce((a, n, i) => a + (over(i) ? n : Math.min(n, live.runs[i]?.step ?? 0)), 0);
      const pooled = run.active.length > 1;
      if (stepRef.current) stepRef.current.textContent = String(step);
      if (rateRef.current) rateRef.current.textContent = cur && Number.isFinite(cur.stepsPerSec) ? cur.stepsPerSec.toFixed(cur.stepsPerSec < 10 ? 1 : 0) : '0';
      if (barRef.current) {
        barRef.current.max = Math.max(1, all);
        barRef.current.value = Math.min(all, progressed);
      }
      const st = usePlayground.getState();
      const idlePlan = run.specs.length === 0 && st.suiteId ? planCount(st, useTradeoffGrid.getState()) : null;
      if (runRef.current)
        runRef.current.textContent = idlePlan
          ? `ready: ${planText(idlePlan, st.suiteId === 'seesaw-tradeoff')}`
          : run.kind === 'suite' && run.specs.length
            ? pooled
              ? `${run.active.length} runs training on ${run.workers} workers, ${run.specs.filter((_, i) => over(i)).length} of ${run.specs.length} finished`
              : `run ${Math.min(run.specs.length, Math.max(1, live.current + 1))} of ${run.specs.length}${run.labels[live.current] ? `: ${run.labels[live.current]}` : ''}`
            : run.labels[0] ?? '';
      if (etaRef.current) {
        // Smoothed over the whole plan, with a range (estimate.ts): no 26 s → 3 min swings between a suite's runs.
        if (etaRun !== run.runId) {
          eta.reset();
          etaRun = run.runId;
        }
        eta.update(performance.now(), progressed, run.phase === 'running');
        let text = '';
        if (run.phase === 'running' && all > progressed) {
          const r = eta.range(all - progressed);
          text = r ? fmtRange(r) : 'estimating time left…';
        } else if (run.phase === 'done') text = 'done';
        etaRef.current.textContent = text;
      }
    };
    update();
    // At most ~5 updates a second: enough for a counter, cheap for the page.
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const schedule = () => {
      if (frame || timer) return;
      timer = setTimeout(() => {
        timer = null;
        frame = requestAnimationFrame(() => {
          frame = 0;
          update();
        });
      }, 200);
    };
    const a = liveStore.subscribe(schedule);
    const b = usePlayground.subscribe(schedule);
    const t = setInterval(schedule, 1000);
    return () => {
      a();
      b();
      clearInterval(t);
      if (timer) clearTimeout(timer);
      if (frame) cancelAnimationFrame(frame);
    };
  }, []);
  return (
    <div className="counters" aria-live="off">
      <span className="counter" title="Training step of the run in progress">
        step <span ref={stepRef} data-testid="step-counter">0</span>
      </span>
      <span className="counter" title="Training steps per second, measured in the worker">
        <span ref={rateRef} data-testid="steps-per-sec">0</span> steps/s
      </span>
      <span className="progress-wrap" title="Progress over every run of the suite (or the single run)">
        <progress ref={barRef} value={0} max={1} aria-label="Training progress" />
        <span ref={runRef} className="run-name" />
        <span ref={etaRef} className="eta" data-testid="eta" />
      </span>
    </div>
  );
}

function BackendBadge() {
  const worker = usePlayground((s) => s.worker);
  const skipped = worker.attempts.filter((a) => !a.ok);
  const chosen = worker.attempts.find((a) => a.ok && a.backend === worker.backend);
  const why = [
    ...(chosen ? [`${worker.backend}: ${chosen.reason}`] : []),
    ...skipped.map((a) => `${a.backend} skipped: ${a.reason}`),
    ...(worker.adapterInfo ? [`adapter: ${worker.adapterInfo}`] : []),
  ];
  const label = worker.status === 'crashed' ? 'worker crashed' : worker.backend ? worker.backend.toUpperCase() : 'starting…';
  // auto's timing probe, when it ran: "WebGPU 41 steps/s vs WASM 160 steps/s → WASM".
  const measured = worker.choice === 'auto' ? probeSummary(worker.attempts, worker.backend) : null;
  return (
    <details className={`backend-badge ${worker.status}`} data-testid="backend-badge">
      <summary title={why.join('\n') || 'Which TF.js backend runs the training, and why'}>
        <span className="badge">{label}</span>
        <span className="badge-choice">{worker.choice === 'auto' ? 'auto' : `forced ${worker.choice}`}</span>
        {measured && (
          <span className="badge-measured" data-testid="backend-measured">
            {measured}
          </span>
        )}
      </summary>
      <div className="badge-why" role="note">
        {why.length ? (
          <ul>
            {why.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        ) : (
          <p>Waiting for the worker to pick a backend.</p>
        )}
      </div>
    </details>
  );
}

export function TopBar() {
  const phase = usePlayground((s) => s.run.phase);
  const blocker = usePlayground((s) => s.blocker);
  const speed = usePlayground((s) => s.speed);
  const hasRun = usePlayground((s) => s.run.runId !== null || s.run.phase !== 'idle');
  const stale = usePlayground((s) => s.stale);
  const suiteId = usePlayground((s) => s.suiteId);
  const grid = useTradeoffGrid((s) => s);
  const plan = usePlayground((s) => planCount(s, grid));
  const liveNote = usePlayground((s) => s.liveNote);
  const running = phase === 'running' || phase === 'starting';
  const canResume = phase === 'paused';
  const playDisabled = !running && !canResume && !!blocker;
  const busy = running || canResume;
  return (
    <header className="topbar">
      <div className="brand">
        <h1>PLE Playground</h1>
        <span className="tagline">multi-task learning, trained live in your browser</span>
      </div>
      <div className="controls" role="toolbar" aria-label="Training controls">
        <button
          type="button"
          className={`play ${running ? 'is-running' : ''}`}
          onClick={running ? pause : play}
          disabled={playDisabled}
          aria-describedby={playDisabled ? 'train-blocker' : undefined}
          title={running ? 'Pause training' : canResume ? 'Resume training' : blocker ? `Cannot train: ${blocker}` : `Train: start ${planText(plan, suiteId === 'seesaw-tradeoff')}`}
        >
          {running ? 'Pause' : 'Play'}
        </button>
        <button type="button" onClick={() => stepOnce(1)} disabled={running || (!canResume && !!blocker)} title="Train exactly one step, then pause (the gates and the diagram update)">
          Step
        </button>
        <button type="button" onClick={() => stepOnce(10)} disabled={running || (!canResume && !!blocker)} title="Train ten steps, then pause">
          Step ×10
        </button>
        <button type="button" onClick={reset} disabled={!hasRun} title="Stop and clear the charts. The seeds stay, so the next Play sees the same data and initial weights.">
          Reset
        </button>
        <label className="speed" title="Slow motion: cap the training speed (max = as fast as the backend goes)">
          speed{' '}
          <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))} aria-label="Speed" title="Slow motion: cap the training speed (max = as fast as the backend goes)">
            {SPEEDS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <span className={`phase phase-${phase}`} data-testid="run-phase" title="State of the run">
          {phase}
        </span>
      </div>
      <LiveCounters />
      <BackendBadge />
      {busy && stale.length > 0 && (
        <p className="stale-note" role="status" data-testid="config-stale">
          Config changed — Reset to apply ({stale.join(', ')}). The run in progress keeps its settings; the learning rate, task weights and speed apply live.
        </p>
      )}
      {busy && liveNote && (
        <p className="live-note" role="status" data-testid="live-note">
          {liveNote}
        </p>
      )}
      {playDisabled && blocker && (
        <p className="blocker" id="train-blocker" role="status" data-testid="train-blocker">
          Train disabled: {blocker}
        </p>
      )}
    </header>
  );
}
