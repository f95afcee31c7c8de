// The one TrainingClient of the page, created on first use.
import type { BackendChoice } from '../core/config/schema';
import { TrainingClient } from '../worker/client';

let client: TrainingClient | null = null;

export function getClient(): TrainingClient {
  client ??= new TrainingClient();
  return client;
}

/** A new worker (after a crash), keeping the client's listeners. */
export function restartClient(backend: BackendChoice): void {
  getClient().restart(backend);
}
