// The pool against fake workers: runs spread over N workers and mapped back to
// the suite's ids, controls reach every worker, Stop waits for all, a crashed
// worker is restarted and its run retried once, then reported.
import { describe, expect, it } from 'vitest';
import type { ExperimentResults } from '../core/types';
import type { WorkerListener } from './client';
import { TrainingPool, type PoolClient } from './pool';
import type { Command, SuiteRunSpec, WorkerEvent } from './protocol';

class FakeClient implements PoolClient {
  sent: Command[] = [];
  restarts = 0;
  alive = true;
  terminated = false;
  private listeners = new Set<WorkerListener>();
  send(cmd: Command) {
    if (!this.alive) return this.emit({ type: 'error', message: `not running; '${cmd.type}' was not sent` });
    this.sent.push(cmd);
  }
  on(l: WorkerListener) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  restart() {
    this.restarts += 1;
    this.alive = true;
    this.sent = [];
  }
  terminate() {
    this.terminated = true;
  }
  emit(e: WorkerEvent) {
    for (const l of this.listeners) l(e);
  }
  crash() {
    this.alive = false;
    this.emit({ type: 'error', message: 'the training worker crashed: boom' });
  }
  /** The sub-run this worker was last told to train. */
  job() {
    const c = [...this.sent].reverse().find((x) => x.type === 'startSuite' || x.type === 'start');
    return c as Extract<Command, { type: 'startSuite' }> | Extract<Command, { type: 'start' }> | undefined;
  }
  /** Train the current sub-run to its end, as the controller reports it. */
  finish(tag = 0) {
    const c = this.job()!;
    const results = { name: 'r', tag } as unknown as ExperimentResults;
    this.emit({ type: 'runStarted', runId: c.runId, runIndex: 0, name: '', totalRuns: 1, totalSteps: 10 });
    this.emit({ type: 'runDone', runId: c.runId, runIndex: 0, results });
    this.emit({ type: 'done', runId: c.runId, results: [results] });
  }
}

function setup() {
  const clients: FakeClient[] = [];
  const pool = new TrainingPool(() => {
    const c = new FakeClient();
    clients.push(c);
    return c;
  });
  const events: WorkerEvent[] = [];
  pool.on((e) => events.push(e));
  return { pool, clients, events };
}

const specs = (n: number): SuiteRunSpec[] => Array.from({ length: n }, (_, i) => ({ name: `m${i}`, seed: i + 1, config: { train: { steps: 10 } } }));
const tags = (events: WorkerEvent[]) => {
  const done = events.find((e) => e.type === 'done') as Extract<WorkerEvent, { type: 'done' }> | undefined;
  return done?.results.map((r) => (r as unknown as { tag: number }).tag);
};

describe('TrainingPool', () => {
  it('spreads a suite over the workers and maps every event back to the suite', () => {
    const { pool, clients, events } = setup();
    pool.send({ type: 'startSuite', runId: 'S', runs: specs(5), workers: 2 });
    expect(clients).toHaveLength(2);
    const a = clients[0].job() as Extract<Command, { type: 'startSuite' }>;
    const b = clients[1].job() as Extract<Command, { type: 'startSuite' }>;
    expect(a.runs.map((r) => r.name)).toEqual(['m0']);
    expect(b.runs.map((r) => r.name)).toEqual(['m1']);
    expect(a.runId).not.toBe('S');
    expect(events.at(-1)).toEqual({ type: 'poolStatus', runId: 'S', active: [0, 1], workers: 2 });

    // The second worker finishes first: its run is run 1 of the suite, and it takes run 2 next.
    clients[1].emit({ type: 'snapshot', runId: b.runId, runIndex: 0, status: 'running', step: 5, totalSteps: 10, stepsPerSec: 1, curveSteps: new Int32Array(0), curveLoss: new Float32Array(0), val: null, gates: null, taskWeights: [] });
    expect(events.at(-1)).toMatchObject({ type: 'snapshot', runId: 'S', runIndex: 1, step: 5 });
    clients[1].finish(1);
    expect(events.filter((e) => e.type === 'runDone').map((e) => (e as { runIndex: number }).runIndex)).toEqual([1]);
    expect((clients[1].job() as Extract<Command, { type: 'startSuite' }>).runs[0].name).toBe('m2');
    clients[0].finish(0);
    clients[1].finish(2);
    clients[0].finish(3);
    expect(events.some((e) => e.type === 'done')).toBe(false);
    clients[1].finish(4);
    // Results come back in the suite's order, whatever the order they finished in.
    expect(tags(events)).toEqual([0, 1, 2, 3, 4]);
    expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'runStarted').map((e) => (e as { totalRuns: number }).totalRuns)).toEqual([5, 5, 5, 5, 5]);
  });

  it('caps the pool by the run count, and runs a single config on the first worker with its own id', () => {
    const { pool, clients, events } = setup();
    pool.send({ type: 'startSuite', runId: 'S', runs: specs(1), workers: 8 });
    expect(clients).toHaveLength(1);
    pool.send({ type: 'start', runId: 'one', config: { train: { steps: 3 } }, paused: true });
    expect(clients[0].job()).toMatchObject({ type: 'start', runId: 'one', paused: true });
    clients[0].emit({ type: 'runStarted', runId: 'one', runIndex: 0, name: '', totalRuns: 1, totalSteps: 3 });
    expect(events.at(-1)).toMatchObject({ type: 'runStarted', runId: 'one', runIndex: 0 });
  });

  it('sends Pause, Step, Resume and speed to every busy worker; new runs start paused while paused', () => {
    const { pool, clients } = setup();
    pool.send({ type: 'setSpeed', stepsPerSec: 10 });
    pool.send({ type: 'startSuite', runId: 'S', runs: specs(3), workers: 2 });
    // The worker started for this suite learns the speed first.
    expect(clients[1].sent[0]).toEqual({ type: 'setSpeed', stepsPerSec: 10 });
    for (const cmd of [{ type: 'pause' }, { type: 'step', n: 5 }, { type: 'setSpeed', stepsPerSec: 3 }] as Command[]) {
      pool.send(cmd);
      for (const c of clients) expect(c.sent.at(-1)).toEqual(cmd);
    }
    clients[0].finish();
    expect(clients[0].job()).toMatchObject({ paused: true });
    pool.send({ type: 'resume' });
    for (const c of clients) expect(c.sent.at(-1)).toEqual({ type: 'resume' });
  });

  it('Stop stops every worker, drops the queue and answers once all stopped', () => {
    const { pool, clients, events } = setup();
    pool.send({ type: 'startSuite', runId: 'S', runs: specs(6), workers: 3 });
    pool.send({ type: 'stop' });
    for (const c of clients) expect(c.sent.at(-1)).toEqual({ type: 'stop' });
    clients[0].emit({ type: 'stopped', runId: clients[0].job()!.runId, step: 4 });
    clients[1].emit({ type: 'stopped', runId: clients[1].job()!.runId, step: 7 });
    expect(events.some((e) => e.type === 'stopped')).toBe(false);
    clients[2].emit({ type: 'stopped', runId: clients[2].job()!.runId, step: 2 });
    expect(events.filter((e) => e.type === 'stopped')).toEqual([{ type: 'stopped', runId: 'S', step: 7 }]);
    // Nothing more was started.
    for (const c of clients) expect(c.sent.filter((x) => x.type === 'startSuite')).toHaveLength(1);
  });

  it('restarts a crashed worker and retries its run once; a second crash reports the run, the others keep their results', () => {
    const { pool, clients, events } = setup();
    pool.send({ type: 'startSuite', runId: 'S', runs: specs(3), workers: 2 });
    const [w0, w1] = clients;
    w0.finish(0); // run 0 done; w0 takes run 2
    w1.crash(); // run 1 crashes once: w1 restarts and retries it
    expect(w1.restarts).toBe(1);
    const retry = w1.job() as Extract<Command, { type: 'startSuite' }>;
    expect(retry.runs[0].name).toBe('m1');
    expect(events.some((e) => e.type === 'runFailed' || e.type === 'error')).toBe(false);
    w1.crash(); // twice: reported; this worker is not restarted again
    expect(events.filter((e) => e.type === 'runFailed')).toEqual([
      { type: 'runFailed', runId: 'S', runIndex: 1, message: expect.stringContaining('crashed 2 times') },
    ]);
    expect(w1.restarts).toBe(1);
    expect(w1.terminated).toBe(true);
    w0.finish(2);
    expect(tags(events)).toEqual([0, 2]);
    expect(events.some((e) => e.type === 'error')).toBe(false);
  });

  it('a retried run succeeds: nothing is lost', () => {
    const { pool, clients, events } = setup();
    pool.send({ type: 'startSuite', runId: 'S', runs: specs(2), workers: 2 });
    clients[1].crash();
    clients[1].finish(1);
    clients[0].finish(0);
    expect(tags(events)).toEqual([0, 1]);
    expect(events.some((e) => e.type === 'runFailed')).toBe(false);
  });

  it('when every worker crashes beyond restarting, the page hears of a crash (finished results were already sent)', () => {
    const { pool, clients, events } = setup();
    pool.send({ type: 'startSuite', runId: 'S', runs: specs(4), workers: 1 });
    clients[0].finish(0);
    clients[0].crash();
    clients[0].crash();
    expect(events.filter((e) => e.type === 'runFailed')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'error', message: expect.stringContaining('crashed') });
    expect((events.at(-1) as { runId?: string }).runId).toBeUndefined();
    // Restart worker brings a fresh first worker.
    pool.restart('wasm');
    expect(pool.alive).toBe(true);
  });

  it('a crash with no suite running is passed on as one worker would (the page offers Restart worker)', () => {
    const { pool, clients, events } = setup();
    clients[0].crash();
    expect(events).toEqual([{ type: 'error', message: 'the training worker crashed: boom' }]);
    expect(clients[0].restarts).toBe(0);
    pool.restart('wasm');
    expect(clients[0].restarts).toBe(1);
  });

  it('exports from the worker that holds the run, and says which run it was', () => {
    const { pool, clients, events } = setup();
    pool.send({ type: 'startSuite', runId: 'S', runs: specs(2), workers: 2 });
    clients[0].finish(0);
    clients[1].finish(1);
    pool.send({ type: 'export', requestId: 'x', runIndex: 1 });
    expect(clients[1].sent.at(-1)).toEqual({ type: 'export', requestId: 'x', runIndex: 1 });
    clients[1].emit({ type: 'exported', requestId: 'x', modelJson: '{}', resultsJson: '{}', csv: '' });
    expect(events.at(-1)).toMatchObject({ type: 'exported', requestId: 'x', runIndex: 1 });
  });
});
