import { useState } from 'preact/hooks';

/** A secret to show once: a new key's or token's, or a rotated key's new one. */
export interface ShownSecret {
  /** What it belongs to: `Key team-a`, `Service token deploy`. */
  what: string;
  secret: string;
  note?: string;
}

/** The secret, selectable and copyable, until the admin says they have it. */
export function SecretPanel({ shown, onDone }: { shown: ShownSecret; onDone: () => void }) {
  const [copied, setCopied] = useState<string | undefined>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(shown.secret);
      setCopied('Copied.');
    } catch {
      // No clipboard (plain HTTP away from localhost): the text is selectable (user-select: all).
      setCopied('The browser refused the clipboard: select the secret and copy it.');
    }
  };
  return (
    <div class="secret" role="status">
      <p>
        <strong>{shown.what}</strong>: its secret is shown only now. Copy it before leaving this page.
      </p>
      <p>
        <code class="secret-value">{shown.secret}</code>
      </p>
      {shown.note ? <p>{shown.note}</p> : null}
      <p class="form-actions">
        <button type="button" onClick={copy}>
          Copy
        </button>
        <button type="button" class="secondary" onClick={onDone}>
          Done
        </button>
        {copied ? <span class="muted">{copied}</span> : null}
      </p>
    </div>
  );
}
