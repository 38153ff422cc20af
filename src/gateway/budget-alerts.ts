import type { Clock } from '../clock.js';
import type { BudgetAlertRecord, Store } from '../store/types.js';
import type { BudgetObserver, BudgetSpend } from './budget-crossings.js';
import { dollars } from './limits.js';

/** The fractions of a budget that send an alert unless configured otherwise. */
export const DEFAULT_ALERT_THRESHOLDS: readonly number[] = [0.8, 1];

/** Where alerts report what they could not do (never per request). */
export type AlertsLogger = (
  level: 'warn' | 'error',
  message: string,
  fields?: Record<string, unknown>,
) => void;

/**
 * Records a crossing in Redis, once across the replicas: true when this call
 * recorded it, false when another did, undefined when Redis does not answer
 * (the store decides then).
 */
export type RedisClaim = (name: string, ttlMs: number) => Promise<boolean | undefined>;

export interface BudgetAlertsOptions {
  /** Fractions of the limit, ascending or not (`[0.8, 1]`). */
  thresholds?: readonly number[];
  /** Delivers an alert's JSON (a WebhookSender). */
  send: (body: BudgetAlertPayload) => void;
  store: Pick<Store, 'claimBudgetAlert'>;
  redisClaim?: RedisClaim;
  clock: Clock;
  logger?: AlertsLogger;
}

/** The JSON POSTed to `alerts.webhookUrl`. */
export interface BudgetAlertPayload {
  type: 'budget_threshold_crossed';
  /** One line for people (chat webhooks such as Slack's show `text`). */
  text: string;
  subject: BudgetSpend['subject'];
  budget: { period: BudgetSpend['period']; limitUsd: number };
  /** The fraction of the limit crossed, and that fraction in dollars. */
  threshold: number;
  thresholdUsd: number;
  spentUsd: number;
  /** When the budget starts again from zero (ISO). */
  resetsAt: string;
  /** When the gateway saw the crossing, on its clock (ISO). */
  time: string;
}

/** Remembered crossings per process before the memory is emptied (they are claimed again, and lose). */
const MAX_REMEMBERED = 10_000;
/** How long after its period a crossing's Redis record is kept. */
const REDIS_GRACE_MS = 86_400_000;

const SUBJECT_WORDS = { key: 'Gateway key', user: 'User', group: 'Group' } as const;
const PERIOD_WORDS = { month: 'monthly', day: 'daily' } as const;

/** The alert's sentence: who, how much of which budget, and when it resets. */
function sentence(spend: BudgetSpend, threshold: number, resetsAt: string): string {
  const who = `${SUBJECT_WORDS[spend.subject.kind]} "${spend.subject.name}"`;
  const budget = `${dollars(spend.limitUsd)} ${PERIOD_WORDS[spend.period]} budget`;
  const resets = resetsAt.slice(0, spend.period === 'day' ? 16 : 10).replace('T', ' ');
  if (threshold >= 1) {
    return `${who} has reached its ${budget} (${dollars(spend.spentUsd)} spent): requests are refused until it resets on ${resets} UTC.`;
  }
  return `${who} has spent ${dollars(spend.spentUsd)} of its ${budget} (over ${Math.round(threshold * 100)}%); it resets on ${resets} UTC.`;
}

/**
 * Budget alerts: told each budget's standing as requests settle, it sends one
 * webhook per threshold (80% and 100% by default) crossed in a budget period,
 * whatever the number of requests or replicas. A crossing is claimed first —
 * in Redis when there is one, else (or while it does not answer) in the store
 * — and only the gateway that claims it sends the alert; the store keeps a
 * row of every crossing. A raised limit is a new budget, with its own
 * crossings. Nothing here waits on or fails the request.
 */
export class BudgetAlerts implements BudgetObserver {
  readonly #thresholds: number[];
  readonly #options: BudgetAlertsOptions;
  /** Crossings this process claimed, or is claiming, so later requests skip them without a round trip. */
  readonly #claimed = new Set<string>();

  constructor(options: BudgetAlertsOptions) {
    this.#options = options;
    this.#thresholds = [...new Set(options.thresholds ?? DEFAULT_ALERT_THRESHOLDS)].sort((a, b) => a - b);
  }

  observe(spend: BudgetSpend): void {
    if (!(spend.limitUsd > 0)) return;
    for (const threshold of this.#thresholds) {
      if (spend.spentUsd < threshold * spend.limitUsd) break;
      const id = [
        spend.subject.kind,
        spend.subject.id,
        spend.period,
        spend.resetsAt,
        spend.limitUsd,
        threshold,
      ].join(':');
      if (this.#claimed.has(id)) continue;
      if (this.#claimed.size >= MAX_REMEMBERED) this.#claimed.clear();
      this.#claimed.add(id);
      void this.#claimAndSend(id, spend, threshold);
    }
  }

  async #claimAndSend(id: string, spend: BudgetSpend, threshold: number): Promise<void> {
    const now = this.#options.clock();
    const record: BudgetAlertRecord = {
      id,
      subjectKind: spend.subject.kind,
      subjectId: spend.subject.id,
      subjectName: spend.subject.name,
      period: spend.period,
      limitUsd: spend.limitUsd,
      threshold,
      spentUsd: spend.spentUsd,
      resetsAt: spend.resetsAt,
      crossedAt: now,
    };
    let won: boolean | undefined;
    try {
      won = await this.#options.redisClaim?.(id, Math.max(0, spend.resetsAt - now) + REDIS_GRACE_MS);
      if (won === undefined) won = await this.#options.store.claimBudgetAlert(record);
      // Claimed in Redis: the store keeps the row too (so a Redis outage later does not send it again).
      else if (won) await this.#options.store.claimBudgetAlert(record).catch(() => false);
    } catch (error) {
      // Neither Redis nor the store could record it: forget it, so the next request's settlement tries again.
      this.#claimed.delete(id);
      this.#options.logger?.(
        'warn',
        'a budget alert could not be recorded; it is tried again with the next request',
        {
          subject: spend.subject,
          threshold,
          err: error,
        },
      );
      return;
    }
    if (!won) return;
    const resetsAt = new Date(spend.resetsAt).toISOString();
    this.#options.send({
      type: 'budget_threshold_crossed',
      text: sentence(spend, threshold, resetsAt),
      subject: { ...spend.subject },
      budget: { period: spend.period, limitUsd: spend.limitUsd },
      threshold,
      thresholdUsd: Math.round(threshold * spend.limitUsd * 1e6) / 1e6,
      spentUsd: Math.round(spend.spentUsd * 1e6) / 1e6,
      resetsAt,
      time: new Date(now).toISOString(),
    });
  }
}
