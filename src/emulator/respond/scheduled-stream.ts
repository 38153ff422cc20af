import type { Fault } from '../faults.js';

export interface ScheduledStreamPlan {
  /** Encoded events, in order; a function is called when its event is sent (a stamped event). */
  frames: readonly (Uint8Array | (() => Uint8Array))[];
  /** Milliseconds between events. */
  delayMs: number;
  /** A mid-stream fault (reset, stream error, stall) to apply after `afterEvents` events. */
  fault?: Fault;
  /** The encoded in-stream error for a `stream-error` fault. */
  errorFrame?: Uint8Array;
  /** Destroys the client connection (for `reset-mid-stream`). */
  resetConnection: () => void;
}

/** How long to let written events reach the client before resetting the connection. */
const FLUSH_BEFORE_RESET_MS = 30;

/**
 * A response body that sends each event on its own schedule, and applies a
 * mid-stream fault at its point. Cancelling it (the client went away) stops
 * every timer.
 *
 * With no delay, events are pulled as fast as the consumer reads them: no
 * timer per event (a `setTimeout(0)` is at least 1 ms, so a 65,000-event
 * answer took over a minute), and the socket's backpressure paces the stream.
 */
export function scheduledStream(plan: ScheduledStreamPlan): ReadableStream<Uint8Array> {
  let index = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const faultAt = plan.fault ? (plan.fault.afterEvents ?? 3) : Number.POSITIVE_INFINITY;

  /** Sends the next event, the fault, or the end. Returns false once nothing more will be sent. */
  const step = (controller: ReadableStreamDefaultController<Uint8Array>): boolean => {
    if (stopped) return false;
    if (index === faultAt && plan.fault) {
      applyFault(controller);
      return false;
    }
    const frame = plan.frames[index];
    if (frame === undefined) {
      stopped = true;
      controller.close();
      return false;
    }
    controller.enqueue(typeof frame === 'function' ? frame() : frame);
    index += 1;
    return true;
  };

  const applyFault = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    stopped = true;
    switch (plan.fault?.kind) {
      case 'reset-mid-stream':
        timer = setTimeout(() => plan.resetConnection(), FLUSH_BEFORE_RESET_MS);
        return;
      case 'stream-error':
        if (plan.errorFrame) controller.enqueue(plan.errorFrame);
        controller.close();
        return;
      default:
        // stall: send nothing more; the client's timeout or abort ends it.
        return;
    }
  };

  if (plan.delayMs <= 0) {
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        step(controller);
      },
      cancel() {
        stopped = true;
        if (timer) clearTimeout(timer);
      },
    });
  }

  return new ReadableStream<Uint8Array>({
    start(controller) {
      // The first event goes at once; each later one `delayMs` after the one before.
      const next = () => {
        if (step(controller)) timer = setTimeout(next, plan.delayMs);
      };
      next();
    },
    cancel() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  });
}
