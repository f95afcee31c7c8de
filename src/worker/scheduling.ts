// Yielding and waiting inside the worker.
// A MessageChannel round trip yields to the event loop (so queued commands are
// handled) without setTimeout's 4 ms clamping or tf.nextFrame's wait for an
// animation frame (15–46 ms in a worker, TFJS-NOTES). Node (unit tests) has
// setImmediate, which does the same there; Node's MessagePort would instead
// drain up to ~1000 self-posted messages in a row and starve its timers.

const nodeImmediate = (globalThis as { setImmediate?: (cb: () => void) => unknown }).setImmediate;
const channel = !nodeImmediate && typeof MessageChannel !== 'undefined' ? new MessageChannel() : null;
const pending: (() => void)[] = [];
if (channel) channel.port1.onmessage = () => pending.shift()?.();

/** Resolve after queued macrotasks (incoming messages) had a chance to run. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (channel) {
      pending.push(resolve);
      channel.port2.postMessage(null);
    } else if (nodeImmediate) nodeImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}

/** A sleep that a command can cut short with `wake()`. */
export class WakeableSleep {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private resolver: (() => void) | null = null;

  /** Sleep `ms` (Infinity: until woken). */
  sleep(ms: number): Promise<void> {
    this.wake();
    return new Promise((resolve) => {
      this.resolver = resolve;
      if (Number.isFinite(ms)) this.timer = setTimeout(() => this.wake(), Math.max(0, ms));
    });
  }

  wake(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const r = this.resolver;
    this.resolver = null;
    r?.();
  }
}

export const now = (): number => performance.now();
