/**
 * What a budget's owner is: a gateway key today; a user or a group (their
 * own budgets, from sign-in) feed the same interface.
 */
export interface BudgetSubject {
  kind: 'key' | 'user' | 'group';
  id: string;
  name: string;
}

/**
 * A budget's standing after a request settled (or was refused for it): who
 * owns it, its period and limit, what is spent, and when it resets. Whoever
 * settles a budget reports it here; the observer decides which thresholds it
 * crossed (see BudgetAlerts).
 */
export interface BudgetSpend {
  subject: BudgetSubject;
  period: 'month' | 'day';
  limitUsd: number;
  spentUsd: number;
  /** When the period ends and the spend starts again from zero (ms epoch). */
  resetsAt: number;
}

/** Takes budget standings; never throws and never waits (it runs on the request path). */
export interface BudgetObserver {
  observe(spend: BudgetSpend): void;
}
