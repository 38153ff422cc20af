import { randomBytes } from 'node:crypto';
import type { Platform } from '../catalog/types.js';
import type { Clock } from '../clock.js';
import type { EmulatorCredentials } from './auth/emulator-credentials.js';
import { FaultBook } from './faults.js';
import { RequestJournal } from './journal.js';
import { PromptCache } from './model/prompt-cache.js';
import type { EmulatorScript } from './model/script.js';
import { ThinkingSigner } from './model/thinking-signature.js';

/** Options of one emulator. */
export interface EmulatorOptions {
  credentials: EmulatorCredentials;
  /** AWS region assumed for Bedrock requests whose credentials name none (Bedrock API keys). */
  defaultAwsRegion: string;
  /** Milliseconds between stream events when no script says otherwise. */
  eventDelayMs: number;
  /** Model names the emulator serves although the catalog does not know them (newer models). */
  extraModels: readonly string[];
  /** Canonical model names whose access is denied (AccessDeniedException on Bedrock, 403 elsewhere). */
  deniedModels: readonly string[];
  /** Check thinking signatures sent back, as the platforms do (a Bedrock signature fails on Vertex). */
  verifyThinkingSignatures: boolean;
  /** Application inference profiles of the emulated account: an id and the base model it routes to. */
  applicationProfiles: readonly { id: string; model: string }[];
  /** "Now" for its listings (retired models are left out); the wall clock unless a test pins it. */
  clock: Clock;
  /** Serve models retired on Anthropic-operated platforms there anyway (see EmulatorConfig). */
  serveRetired: boolean;
}

/** A script queued through the control API, optionally only for one platform or model. */
export interface QueuedScript {
  platform?: Platform;
  model?: string;
  script: EmulatorScript;
}

/** Everything an emulator remembers between requests. */
export class EmulatorState {
  readonly faults = new FaultBook();
  readonly journal = new RequestJournal();
  readonly cache = new PromptCache();
  readonly signer = new ThinkingSigner(randomBytes(16).toString('hex'));
  readonly scripts: QueuedScript[] = [];

  constructor(readonly options: EmulatorOptions) {}

  /** Takes the first queued script that fits the request. */
  takeScript(platform: Platform, model: string | undefined): EmulatorScript | undefined {
    const index = this.scripts.findIndex(
      (queued) =>
        (!queued.platform || queued.platform === platform) && (!queued.model || queued.model === model),
    );
    if (index === -1) return undefined;
    return this.scripts.splice(index, 1)[0]?.script;
  }

  reset(): void {
    this.faults.clear();
    this.journal.clear();
    this.cache.clear();
    this.scripts.length = 0;
  }
}
