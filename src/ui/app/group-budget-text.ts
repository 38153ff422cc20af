import { numberField } from './form-values.js';
import { usd } from './format.js';
import type { GroupRecord } from './types.js';

/** The whole group's budgets, as a form holds them. */
export interface GroupBudgetText {
  description: string;
  groupDailyBudgetUsd: string;
  groupMonthlyBudgetUsd: string;
}

export function groupBudgetText(group: GroupRecord | undefined): GroupBudgetText {
  return {
    description: group?.description ?? '',
    groupDailyBudgetUsd: group?.dailyBudgetUsd?.toString() ?? '',
    groupMonthlyBudgetUsd: group?.monthlyBudgetUsd?.toString() ?? '',
  };
}

/** The group-wide part of a group's body (a new group leaves blanks out; an update sends `null`). */
export function groupBudgetBody(text: GroupBudgetText, update: boolean): Record<string, unknown> {
  const empty = update ? null : undefined;
  const body: Record<string, unknown> = {
    description: text.description.trim() || empty,
    dailyBudgetUsd: numberField(text.groupDailyBudgetUsd, 'The whole group’s daily budget', empty),
    monthlyBudgetUsd: numberField(text.groupMonthlyBudgetUsd, 'The whole group’s monthly budget', empty),
  };
  for (const [name, value] of Object.entries(body)) if (value === undefined) delete body[name];
  return body;
}

/** `$150.00/day · $2000.00/month` for the whole group; "none". */
export function groupBudgetSummary(group: GroupRecord): string {
  const parts = [
    group.dailyBudgetUsd !== undefined ? `${usd(group.dailyBudgetUsd)}/day` : undefined,
    group.monthlyBudgetUsd !== undefined ? `${usd(group.monthlyBudgetUsd)}/month` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : 'none';
}
