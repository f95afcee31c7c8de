// Test/bench harness page (harness.html): drives the training worker with no
// UI, records every event as plain JSON and counts main-thread long tasks.
// e2e/worker.spec.ts and src/cli/bench-browser.ts use window.__ple.
import { TrainingClient } from './client';
import type { LoopBenchReply, LoopBenchRequest } from './bench.worker';
import type { Command, WorkerEvent } from './protocol';
import { probeSummary } from './probeText';

export type RecordedEvent = Record<string, unknown> & { type: WorkerEvent['type']; at: number };

export interface Harness {
  client: TrainingClient;
  /** Every event, typed arrays turned into plain arrays, with receipt time `at` (performance.now()). */
  events: RecordedEvent[];
  /** Main-thread long tasks (≥ 50 ms) since load: start time and duration. */
  longTasks: { start: number; duration: number }[];
  send(cmd: Command): void;
  /** Send a command carrying a fresh requestId and resolve with the reply (or an error event for it). */
  request(cmd: { type: 'stats' } | { type: 'export' }): Promise<RecordedEvent>;
  /** `npm run bench` only: time the per-expert loop baseline, or the Trainer called directly, in a worker of its own. */
  benchLoop(req: LoopBenchRequest): Promise<LoopBenchReply>;
}

declare global {
  interface Window {
    __ple: Harness;
  }
}

const $ = (id: string) => document.getElementById(id)!;

function plain(e: WorkerEvent): RecordedEvent {
  const out: RecordedEvent = { ...(e as unknown as Record<string, unknown>), type: e.type, at: performance.now() };
  for (const [k, v] of Object.entries(out)) if (ArrayBuffer.isView(v)) out[k] = Array.from(v as unknown as ArrayLike<number>);
  return out;
}

const client = new TrainingClient();
const events: RecordedEvent[] = [];
const longTasks: Harness['longTasks'] = [];
let seq = 0;

try {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
} catch {
  // longtask entries unsupported: the count stays empty (reported as such by the tests).
}

client.on((e) => {
  events.push(plain(e));
  switch (e.type) {
    case 'ready':
      $('backend').textContent = e.backend;
      $('measured').textContent = probeSummary(e.attempts, e.backend) ?? '';
      $('attempts').replaceChildren(
        ...e.attempts.map((a) => {
          const li = document.createElement('li');
          li.textContent = `${a.backend}: ${a.ok ? 'used' : 'skipped'} — ${a.reason}`;
          return li;
        }),
      );
      break;
    case 'snapshot':
      $('status').textContent = e.status;
      $('step').textContent = String(e.step);
      break;
    default:
      $('log').textContent += `${e.type}${'message' in e ? `: ${e.message}` : ''}\n`;
  }
});

window.__ple = {
  benchLoop: (req) => benchLoop(req),
  client,
  events,
  longTasks,
  send: (cmd) => client.send(cmd),
  request(cmd) {
    const requestId = `h${++seq}`;
    return new Promise((resolve) => {
      const off = client.on((e) => {
        if ('requestId' in e && e.requestId === requestId) {
          off();
          resolve(plain(e));
        }
      });
      client.send({ ...cmd, requestId });
    });
  },
};
function benchLoop(req: LoopBenchRequest): Promise<LoopBenchReply> {
  const w = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module', name: 'ple-bench-loop' });
  return new Promise<LoopBenchReply>((resolve) => {
    w.onmessage = (e: MessageEvent<LoopBenchReply>) => resolve(e.data);
    w.onerror = (e) => {
      e.preventDefault();
      resolve({ type: 'error', message: `bench worker crashed: ${e.message}` });
    };
    w.postMessage(req);
  }).finally(() => w.terminate());
}
document.body.dataset.ready = 'true';
