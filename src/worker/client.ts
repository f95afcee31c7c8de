// Page-side handle on the training worker: typed send/on, crash detection,
// restart. Framework-free: the store subscribes with on().
import type { BackendChoice } from '../core/config/schema';
import type { Command, WorkerEvent } from './protocol';

export type WorkerListener = (event: WorkerEvent) => void;

export class TrainingClient {
  private worker: Worker | null = null;
  private readonly listeners = new Set<WorkerListener>();
  private crashed = false;

  constructor(private readonly makeWorker: () => Worker = defaultWorker) {
    this.spawn();
  }

  /** Send a command; after a crash, commands are refused with an 'error' event until restart(). */
  send(cmd: Command): void {
    if (!this.worker || this.crashed) {
      this.emit({ type: 'error', message: `the training worker is not running (restart it); '${cmd.type}' was not sent` });
      return;
    }
    this.worker.postMessage(cmd);
  }

  /** Subscribe to every event; returns the unsubscribe function. */
  on(listener: WorkerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get alive(): boolean {
    return this.worker !== null && !this.crashed;
  }

  /** Replace the worker with a fresh one (after a crash, or to drop all state) and select `backend`. */
  restart(backend: BackendChoice = 'auto'): void {
    this.worker?.terminate();
    this.spawn();
    this.send({ type: 'init', backend });
  }

  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private spawn(): void {
    this.crashed = false;
    const w = this.makeWorker();
    w.onmessage = (e: MessageEvent<WorkerEvent>) => {
      if (this.worker === w) this.emit(e.data);
    };
    // An error that escapes the worker's own handlers (failed to load, out of memory,
    // a throw at top level) leaves it unusable: say so instead of hanging.
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      if (this.worker !== w) return;
      this.crashed = true;
      this.emit({ type: 'error', message: `the training worker crashed: ${e.message || 'unknown error (failed to load?)'}` });
    };
    w.onmessageerror = () => {
      if (this.worker === w) this.emit({ type: 'error', message: 'a message from the training worker could not be read' });
    };
    this.worker = w;
  }

  private emit(event: WorkerEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (err) {
        // One broken listener must not starve the others.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}

function defaultWorker(): Worker {
  return new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'ple-training' });
}
