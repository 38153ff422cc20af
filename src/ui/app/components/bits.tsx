import type { ComponentChildren } from 'preact';

/** A number worth a glance, with its label. */
export function Stat({ label, value, hint }: { label: string; value: ComponentChildren; hint?: string }) {
  return (
    <div class="stat">
      <dt>{label}</dt>
      <dd title={hint}>{value}</dd>
    </div>
  );
}

export function Stats({ children }: { children: ComponentChildren }) {
  return <dl class="stats">{children}</dl>;
}

/** What went wrong loading or saving, said where the user looks. */
export function Failure({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="failure" role="alert">
      {message}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/** An HTTP status, coloured by class (2xx, 4xx, 5xx). */
export function StatusCode({ status }: { status: number }) {
  const kind = status >= 500 ? 'bad' : status >= 400 ? 'warn' : 'good';
  return <span class={`badge ${kind}`}>{status}</span>;
}

export function PageTitle({
  children,
  actions,
}: {
  children: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <header class="page-title">
      <h1>{children}</h1>
      {actions ? <div class="actions">{actions}</div> : null}
    </header>
  );
}
