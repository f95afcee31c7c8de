/// <reference lib="webworker" />
// The training worker: wires messages to the controller, the controller to
// TF.js and the core Trainer. Everything heavy happens here, never on the page.
import * as tf from '@tensorflow/tfjs';
import { Trainer } from '../core/train/trainer';
import { currentWebGPUDevice, selectBackend } from './backends';
import { TrainingController } from './controller';
import type { Command, WorkerEvent } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const post = (event: WorkerEvent, transfer: Transferable[] = []) => self.postMessage(event, transfer);

const controller = new TrainingController({
  post,
  createTrainer: (config, opts) => Trainer.create(config, opts),
  selectBackend,
  currentDevice: currentWebGPUDevice,
  memory: () => {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes };
  },
});

self.onmessage = (e: MessageEvent<Command>) => {
  const cmd = e.data;
  if (!cmd || typeof cmd !== 'object' || typeof cmd.type !== 'string') {
    post({ type: 'error', message: `worker: not a command: ${JSON.stringify(cmd)?.slice(0, 200)}` });
    return;
  }
  void controller.handle(cmd);
};

// Test hook for pages without the harness (e2e): the same probe hooks, over a same-origin channel.
if (typeof BroadcastChannel === 'function')
  new BroadcastChannel('ple-probe-hooks').onmessage = (e: MessageEvent<Omit<Extract<Command, { type: 'probeHooks' }>, 'type'>>) =>
    void controller.handle({ ...e.data, type: 'probeHooks' });

// Anything that escapes the controller still reaches the page as an error event.
self.addEventListener('unhandledrejection', (e) => {
  e.preventDefault();
  const r = e.reason;
  post({ type: 'error', message: `worker: ${r instanceof Error ? r.message : String(r)}` });
});
self.addEventListener('error', (e) => {
  e.preventDefault(); // handled here: the worker stays usable, the page's onerror means a real crash
  post({ type: 'error', message: `worker: ${e.message}` });
});
