import { z } from 'zod';
import { resolveModel } from '../catalog/resolve.js';
import { PLATFORMS, type Platform } from '../catalog/types.js';

/**
 * Faults the emulator injects, scoped by platform, region, model and
 * operation, each limited by a count:
 * - `http`: answer with an HTTP error in the platform's own shape (429 throttling, 529, 503, 500, 400, 403, …)
 * - `reset-before-headers`: close the connection without an answer
 * - `reset-mid-stream`: send `afterEvents` stream events, then reset the connection
 * - `stream-error`: send `afterEvents` events, then an in-stream error (SSE `error` event, Bedrock exception frame)
 * - `slow-first-byte`: wait `delayMs` before answering
 * - `stall`: send `afterEvents` events, then nothing more until the client gives up
 * - `latency`: wait `delayMs` between stream events (or before a whole answer)
 */
export const faultSchema = z
  .object({
    kind: z.enum([
      'http',
      'reset-before-headers',
      'reset-mid-stream',
      'stream-error',
      'slow-first-byte',
      'stall',
      'latency',
    ]),
    platform: z.enum(PLATFORMS as [Platform, ...Platform[]]).optional(),
    region: z.string().optional(),
    model: z.string().optional(),
    operation: z.enum(['messages', 'count_tokens', 'models', 'token']).optional(),
    /** Only streaming (true) or only non-streaming (false) requests. */
    stream: z.boolean().optional(),
    status: z.number().int().min(400).max(599).optional(),
    /** The platform's error name: `ThrottlingException`, `rate_limit_error`, `RESOURCE_EXHAUSTED`, `throttlingException`… */
    errorType: z.string().optional(),
    message: z.string().optional(),
    retryAfterSeconds: z.number().min(0).optional(),
    afterEvents: z.number().int().min(0).optional(),
    delayMs: z.number().int().min(0).max(600_000).optional(),
    /** How many matching requests the fault applies to; omitted means once. 0 means every one. */
    count: z.number().int().min(0).optional(),
  })
  .strict();

export type FaultSpec = z.infer<typeof faultSchema>;
export type Fault = FaultSpec & { id: number; remaining: number | undefined; hits: number };

export interface FaultTarget {
  platform: Platform;
  region: string | undefined;
  model: string | undefined;
  operation: NonNullable<FaultSpec['operation']>;
  stream: boolean;
}

/** The list of armed faults. The first fault that matches a request applies and is used up. */
export class FaultBook {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const fault: Fault = {
      ...spec,
      id: this.nextId++,
      remaining: spec.count === 0 ? undefined : (spec.count ?? 1),
      hits: 0,
    };
    this.faults.push(fault);
    return fault;
  }

  list(): Fault[] {
    return [...this.faults];
  }

  remove(id: number): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((fault) => fault.id !== id);
    return this.faults.length !== before;
  }

  clear(): void {
    this.faults = [];
  }

  /** Takes the first fault that matches, counting it used. */
  take(target: FaultTarget): Fault | undefined {
    const fault = this.faults.find((candidate) => matches(candidate, target));
    if (!fault) return undefined;
    fault.hits += 1;
    if (fault.remaining !== undefined) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
    }
    return fault;
  }
}

function matches(fault: Fault, target: FaultTarget): boolean {
  if (fault.platform && fault.platform !== target.platform) return false;
  if (fault.region && fault.region !== target.region) return false;
  if (fault.operation && fault.operation !== target.operation) return false;
  if (fault.stream !== undefined && fault.stream !== target.stream) return false;
  if (fault.model) {
    if (!target.model) return false;
    if (fault.model !== target.model) {
      const wanted = resolveModel(fault.model).model;
      if (!wanted || wanted !== resolveModel(target.model).model) return false;
    }
  }
  // Mid-stream faults only make sense for streams.
  if (
    (fault.kind === 'reset-mid-stream' || fault.kind === 'stream-error' || fault.kind === 'stall') &&
    !target.stream
  ) {
    return false;
  }
  return true;
}

/**
 * Parses the CLI's `--fault` flag: comma-separated `key=value` pairs, e.g.
 * `kind=http,platform=bedrock,status=429,count=2`.
 */
export function parseFaultFlag(flag: string): FaultSpec {
  const record: Record<string, unknown> = {};
  for (const pair of flag.split(',')) {
    const [key, ...rest] = pair.split('=');
    if (!key || rest.length === 0)
      throw new Error(`--fault: "${pair}" is not key=value (e.g. kind=http,status=429)`);
    const value = rest.join('=');
    record[key.trim()] = /^\d+$/.test(value)
      ? Number(value)
      : value === 'true'
        ? true
        : value === 'false'
          ? false
          : value;
  }
  const parsed = faultSchema.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`--fault: ${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
