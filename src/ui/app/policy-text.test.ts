import { describe, expect, it } from 'vitest';
import { FormMistake, numberField } from './form-values.js';
import { groupBudgetBody } from './group-budget-text.js';
import { NO_POLICY, policyBody, policySummary, policyText } from './policy-text.js';

describe('a policy typed into the dashboard', () => {
  it('leaves blank rules out of a new policy, and trims and splits the models', () => {
    expect(
      policyBody({ ...NO_POLICY, allowedModels: ' sonnet , haiku,', dailyBudgetUsd: '$1,000.50' }, false),
    ).toEqual({ allowedModels: ['sonnet', 'haiku'], dailyBudgetUsd: 1000.5 });
  });

  it('sends null for each rule emptied in an update, so the admin API removes it', () => {
    expect(policyBody({ ...NO_POLICY, requestsPerMinute: '30' }, true)).toEqual({
      allowedModels: null,
      residency: null,
      dailyBudgetUsd: null,
      monthlyBudgetUsd: null,
      requestsPerMinute: 30,
      tokensPerMinute: null,
    });
  });

  it('names the field of an obvious mistake before anything is sent', () => {
    expect(() => policyBody({ ...NO_POLICY, monthlyBudgetUsd: '-5' }, false)).toThrow(
      'Monthly budget must be a number of 0 or more (or blank for none); got "-5".',
    );
    expect(() => policyBody({ ...NO_POLICY, tokensPerMinute: '1.5' }, false)).toThrow(
      'Tokens per minute must be a whole number',
    );
    expect(() => numberField('ten', 'Daily budget', undefined)).toThrow(FormMistake);
  });

  it('reads a stored policy back into the form, and sums it up in a few words', () => {
    const policy = {
      allowedModels: ['sonnet'],
      residency: 'eu' as const,
      dailyBudgetUsd: 10,
      tokensPerMinute: 200000,
    };
    expect(policyBody(policyText(policy), false)).toEqual(policy);
    expect(policySummary(policy)).toBe('sonnet · eu · $10.00/day · 200k tok/min');
    expect(policySummary({})).toBe('no rules');
  });

  it("keeps the whole group's budgets apart from each member's", () => {
    expect(
      groupBudgetBody({ description: ' ', groupDailyBudgetUsd: '150', groupMonthlyBudgetUsd: '' }, true),
    ).toEqual({ description: null, dailyBudgetUsd: 150, monthlyBudgetUsd: null });
  });
});
