// The CLI and the benchmark run on TF.js's WASM backend in Node
// (@tensorflow/tfjs-node cannot be installed here: TFJS-NOTES).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export async function useWasmBackend(): Promise<string> {
  if (!(await tf.setBackend('wasm'))) throw new Error('could not start the TF.js WASM backend');
  await tf.ready();
  return tf.getBackend();
}
