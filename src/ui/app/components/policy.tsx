import type { ComponentChildren } from 'preact';
import { count, usd } from '../format.js';
import { type PolicyText, RESIDENCY_CHOICES } from '../policy-text.js';
import type { MemberPolicy } from '../types.js';

/** The inputs of a policy, for a form made with `useFields` (labels say whose the budgets are). */
export function PolicyInputs({
  fields,
  whose,
}: {
  fields: {
    text: (
      name: keyof PolicyText,
      label: string,
      options?: { placeholder?: string; numeric?: boolean },
    ) => ComponentChildren;
    select: (
      name: keyof PolicyText,
      label: string,
      choices: { value: string; label: string }[],
    ) => ComponentChildren;
  };
  whose: string;
}) {
  return (
    <>
      {fields.text('allowedModels', 'Allowed models', { placeholder: 'any (or: sonnet, haiku)' })}
      {fields.select('residency', 'Residency', RESIDENCY_CHOICES)}
      {fields.text('dailyBudgetUsd', `Daily budget${whose} (USD)`, { placeholder: 'none', numeric: true })}
      {fields.text('monthlyBudgetUsd', `Monthly budget${whose} (USD)`, {
        placeholder: 'none',
        numeric: true,
      })}
      {fields.text('requestsPerMinute', 'Requests per minute', { placeholder: 'none', numeric: true })}
      {fields.text('tokensPerMinute', 'Tokens per minute', { placeholder: 'none', numeric: true })}
    </>
  );
}

/** A policy as readable facts (a <dl>): every rule, "any"/"none" where there is none. */
export function PolicyFacts({ policy, whose = '' }: { policy: MemberPolicy; whose?: string }) {
  const money = (value: number | undefined) => (value === undefined ? 'none' : usd(value));
  const rate = (value: number | undefined, unit: string) =>
    value === undefined ? 'none' : `${count(value)} ${unit}`;
  return (
    <dl class="facts">
      <dt>Allowed models</dt>
      <dd>{policy.allowedModels?.join(', ') ?? 'any'}</dd>
      <dt>Residency</dt>
      <dd>{policy.residency ?? 'any'}</dd>
      <dt>Daily budget{whose}</dt>
      <dd>{money(policy.dailyBudgetUsd)}</dd>
      <dt>Monthly budget{whose}</dt>
      <dd>{money(policy.monthlyBudgetUsd)}</dd>
      <dt>Requests per minute</dt>
      <dd>{rate(policy.requestsPerMinute, 'requests')}</dd>
      <dt>Tokens per minute</dt>
      <dd>{rate(policy.tokensPerMinute, 'tokens')}</dd>
    </dl>
  );
}
