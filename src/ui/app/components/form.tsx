import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Failure } from './bits.js';

/*
 * The dashboard's form helper: fields kept as text (see ../form-values.ts for
 * reading them), checked before sending. A few lines of our own rather than a
 * form library: the forms are small and the bundle is to stay small.
 */

export interface FieldOptions {
  placeholder?: string;
  numeric?: boolean;
  required?: boolean;
  type?: 'text' | 'email';
  hint?: string;
  /** The id of a <datalist> offering values. */
  list?: string;
}

/** A form's text values, and inputs bound to them (ids are `${idPrefix}-${name}`, each with its label). */
export function useFields<Name extends string>(idPrefix: string, initial: Record<Name, string>) {
  const [values, setValues] = useState(initial);
  const set = (name: Name, value: string) => setValues((previous) => ({ ...previous, [name]: value }));
  const id = (name: Name) => `${idPrefix}-${name}`;
  const text = (name: Name, label: string, options: FieldOptions = {}) => (
    <span class="field">
      <label for={id(name)}>{label}</label>
      <input
        id={id(name)}
        type={options.type ?? 'text'}
        inputMode={options.numeric ? 'decimal' : undefined}
        placeholder={options.placeholder}
        required={options.required}
        list={options.list}
        aria-describedby={options.hint ? `${id(name)}-hint` : undefined}
        value={values[name]}
        onInput={(event) => set(name, (event.target as HTMLInputElement).value)}
      />
      {options.hint ? (
        <span class="hint" id={`${id(name)}-hint`}>
          {options.hint}
        </span>
      ) : null}
    </span>
  );
  const select = (name: Name, label: string, choices: { value: string; label: string }[]) => (
    <span class="field">
      <label for={id(name)}>{label}</label>
      <select
        id={id(name)}
        value={values[name]}
        onChange={(event) => set(name, (event.target as HTMLSelectElement).value)}
      >
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </span>
  );
  return { values, set, text, select };
}

/**
 * A form that sends once at a time: `onSubmit` may throw (a `FormMistake`
 * found before sending, or the API's `ApiError`); its message is shown in the form.
 */
export function FormBox({
  label,
  submitLabel,
  onSubmit,
  onCancel,
  children,
  compact,
}: {
  label: string;
  submitLabel: string;
  onSubmit: () => Promise<void>;
  onCancel?: () => void;
  children: ComponentChildren;
  /** One line (a membership or a token form), not a panel. */
  compact?: boolean;
}) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      class={compact ? 'inline-form' : 'key-form'}
      aria-label={label}
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        if (busy) return;
        setBusy(true);
        setError(undefined);
        try {
          await onSubmit();
        } catch (failure) {
          setError((failure as Error).message);
        } finally {
          setBusy(false);
        }
      }}
    >
      {compact ? children : <div class="form-grid">{children}</div>}
      <div class="form-actions">
        <button type="submit" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel ? (
          <button type="button" class="secondary" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
      <Failure message={error} />
    </form>
  );
}

/**
 * A button that asks before doing something that cannot be undone; the
 * API's refusal (say, a group that still has service tokens) is shown beside it.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  danger = true,
}: {
  label: ComponentChildren;
  question: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  danger?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      setAsking(false);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="confirm-wrap">
      {asking ? (
        <span class="confirm">
          <span>{question}</span>{' '}
          <button type="button" class={danger ? 'danger' : undefined} disabled={busy} onClick={confirm}>
            {confirmLabel}
          </button>{' '}
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setAsking(false);
              setError(undefined);
            }}
          >
            No
          </button>
        </span>
      ) : (
        <button type="button" class={danger ? 'danger' : 'secondary'} onClick={() => setAsking(true)}>
          {label}
        </button>
      )}
      <Failure message={error} />
    </span>
  );
}
