import type { Fault } from '../faults.js';

export interface ScheduledStreamPlan {
  /** Encoded events, in order. */
  frames: Uint8Array[];
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
 */
export function scheduledStream(plan: ScheduledStreamPlan): ReadableStream<Uint8Array> {
  let index = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const faultAt = plan.fault ? (plan.fault.afterEvents ?? 3) : Number.POSITIVE_INFINITY;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const step = () => {
        if (stopped) return;
        if (index === faultAt && plan.fault) {
          applyFault(plan, controller);
          return;
        }
        const frame = plan.frames[index];
        if (frame === undefined) {
          controller.close();
          return;
        }
        controller.enqueue(frame);
        index += 1;
        schedule();
      };
      const schedule = () => {
        if (plan.delayMs > 0 && index > 0) timer = setTimeout(step, plan.delayMs);
        else if (index === 0) step();
        else timer = setTimeout(step, 0);
      };
      const applyFault = (
        current: ScheduledStreamPlan,
        streamController: ReadableStreamDefaultController,
      ) => {
        stopped = true;
        switch (current.fault?.kind) {
          case 'reset-mid-stream':
            timer = setTimeout(() => current.resetConnection(), FLUSH_BEFORE_RESET_MS);
            return;
          case 'stream-error':
            if (current.errorFrame) streamController.enqueue(current.errorFrame);
            streamController.close();
            return;
          default:
            // stall: send nothing more; the client's timeout or abort ends it.
            return;
        }
      };
      schedule();
    },
    cancel() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  });
}
