// The page's training workers: one pool (src/worker/pool.ts), created on first
// use. It speaks the one-worker protocol, so callers send and listen as to one worker.
import type { BackendChoice } from '../core/config/schema';
import { TrainingPool } from '../worker/pool';

let pool: TrainingPool | null = null;

export function getClient(): TrainingPool {
  pool ??= new TrainingPool();
  return pool;
}

/** Fresh workers (after a crash), keeping the listeners. */
export function restartClient(backend: BackendChoice): void {
  getClient().restart(backend);
}
