import { listField, numberField } from './form-values.js';
import { count, usd } from './format.js';
import type { MemberPolicy } from './types.js';

/** The geographies a policy or key can be held to (src/store/types.ts RESIDENCIES); '' is any. */
export const RESIDENCIES = ['', 'us', 'eu', 'europe', 'jp', 'apac', 'au'];

export const RESIDENCY_CHOICES = RESIDENCIES.map((value) => ({ value, label: value || 'any' }));

/** A member policy's fields, as a form holds them (text; blank: no rule). */
export interface PolicyText {
  allowedModels: string;
  residency: string;
  dailyBudgetUsd: string;
  monthlyBudgetUsd: string;
  requestsPerMinute: string;
  tokensPerMinute: string;
}

export const NO_POLICY: PolicyText = {
  allowedModels: '',
  residency: '',
  dailyBudgetUsd: '',
  monthlyBudgetUsd: '',
  requestsPerMinute: '',
  tokensPerMinute: '',
};

export function policyText(policy: MemberPolicy | undefined): PolicyText {
  return {
    allowedModels: policy?.allowedModels?.join(', ') ?? '',
    residency: policy?.residency ?? '',
    dailyBudgetUsd: policy?.dailyBudgetUsd?.toString() ?? '',
    monthlyBudgetUsd: policy?.monthlyBudgetUsd?.toString() ?? '',
    requestsPerMinute: policy?.requestsPerMinute?.toString() ?? '',
    tokensPerMinute: policy?.tokensPerMinute?.toString() ?? '',
  };
}

/**
 * The admin API's policy from the form, checked as the API checks it
 * (src/store/identity-input.ts `checkPolicy`): a new policy leaves blank rules
 * out, an update sends `null` for a rule emptied (the API then removes it).
 */
export function policyBody(text: PolicyText, update: boolean): Record<string, unknown> {
  const empty = update ? null : undefined;
  const models = listField(text.allowedModels);
  const body: Record<string, unknown> = {
    allowedModels: models.length > 0 ? models : empty,
    residency: text.residency || empty,
    dailyBudgetUsd: numberField(text.dailyBudgetUsd, 'Daily budget', empty),
    monthlyBudgetUsd: numberField(text.monthlyBudgetUsd, 'Monthly budget', empty),
    requestsPerMinute: numberField(text.requestsPerMinute, 'Requests per minute', empty, { whole: true }),
    tokensPerMinute: numberField(text.tokensPerMinute, 'Tokens per minute', empty, { whole: true }),
  };
  for (const [name, value] of Object.entries(body)) if (value === undefined) delete body[name];
  return body;
}

/** A policy in a few words, for tables: `sonnet · eu · $10.00/day · 60 req/min`; "no rules" when empty. */
export function policySummary(policy: MemberPolicy | undefined): string {
  const parts = [
    policy?.allowedModels ? policy.allowedModels.join(', ') : undefined,
    policy?.residency,
    policy?.dailyBudgetUsd !== undefined ? `${usd(policy.dailyBudgetUsd)}/day` : undefined,
    policy?.monthlyBudgetUsd !== undefined ? `${usd(policy.monthlyBudgetUsd)}/month` : undefined,
    policy?.requestsPerMinute !== undefined ? `${count(policy.requestsPerMinute)} req/min` : undefined,
    policy?.tokensPerMinute !== undefined ? `${count(policy.tokensPerMinute)} tok/min` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : 'no rules';
}
