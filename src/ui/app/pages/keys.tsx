import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { Failure, Loading, PageTitle } from '../components/bits.js';
import { SecretPanel, type ShownSecret } from '../components/secret.js';
import { FormMistake, numberField } from '../form-values.js';
import { count, time, usd } from '../format.js';
import { RESIDENCIES } from '../policy-text.js';
import { page } from '../router.js';
import type { PublicKey, UserRecord } from '../types.js';
import { useApi } from '../use-api.js';

/** How long a rotated key's old secret keeps working (the admin API's default). */
const ROTATION_GRACE = '24h';

/** The form's fields, as text (empty: no limit). */
interface KeyFields {
  name: string;
  allowedModels: string;
  monthlyBudgetUsd: string;
  requestsPerMinute: string;
  tokensPerMinute: string;
  residency: string;
  expiresAt: string;
  /** The user the key belongs to (name, e-mail or id); blank: nobody's. */
  user: string;
}

const EMPTY: KeyFields = {
  name: '',
  allowedModels: '',
  monthlyBudgetUsd: '',
  requestsPerMinute: '',
  tokensPerMinute: '',
  residency: '',
  expiresAt: '',
  user: '',
};

/** A key's budget and rate limits in a few words: `$75.00/month · 60 req/min · 200k tok/min`. */
export function keyLimits(key: PublicKey): string {
  const parts = [
    key.monthlyBudgetUsd !== undefined ? `${usd(key.monthlyBudgetUsd)}/month` : undefined,
    key.requestsPerMinute !== undefined ? `${count(key.requestsPerMinute)} req/min` : undefined,
    key.tokensPerMinute !== undefined ? `${count(key.tokensPerMinute)} tok/min` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : 'none';
}

function fieldsOf(key: PublicKey, owner: UserRecord | undefined): KeyFields {
  return {
    name: key.name,
    allowedModels: key.allowedModels?.join(', ') ?? '',
    monthlyBudgetUsd: key.monthlyBudgetUsd?.toString() ?? '',
    requestsPerMinute: key.requestsPerMinute?.toString() ?? '',
    tokensPerMinute: key.tokensPerMinute?.toString() ?? '',
    residency: key.residency ?? '',
    expiresAt: key.expiresAt ? new Date(key.expiresAt).toISOString() : '',
    user: owner ? (owner.email ?? owner.name) : (key.userId ?? ''),
  };
}

/**
 * The admin API's body for the form: a new key leaves empty fields out; an
 * update sends `null` for a field emptied (the limit is removed).
 */
function bodyOf(fields: KeyFields, initial: KeyFields, update: boolean): Record<string, unknown> {
  const empty = update ? null : undefined;
  if (!fields.name.trim()) throw new FormMistake('A key needs a name.');
  const models = fields.allowedModels
    .split(',')
    .map((model) => model.trim())
    .filter(Boolean);
  const body: Record<string, unknown> = {
    name: fields.name.trim(),
    allowedModels: models.length > 0 ? models : empty,
    monthlyBudgetUsd: numberField(fields.monthlyBudgetUsd, 'Monthly budget', empty),
    requestsPerMinute: numberField(fields.requestsPerMinute, 'Requests per minute', empty, { whole: true }),
    tokensPerMinute: numberField(fields.tokensPerMinute, 'Tokens per minute', empty, { whole: true }),
    residency: fields.residency || empty,
    expiresAt: fields.expiresAt.trim() || empty,
    // Sent only when changed: a key of a user disabled since stays editable.
    user: fields.user.trim() === initial.user.trim() ? undefined : fields.user.trim() || empty,
  };
  for (const [name, value] of Object.entries(body)) if (value === undefined) delete body[name];
  return body;
}

function KeyForm({
  idPrefix,
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  idPrefix: string;
  initial: KeyFields;
  submitLabel: string;
  onSubmit: (fields: KeyFields, initial: KeyFields) => Promise<void>;
  onCancel?: () => void;
}) {
  const [fields, setFields] = useState(initial);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const input = (
    name: keyof KeyFields,
    label: string,
    options: { placeholder?: string; numeric?: boolean } = {},
  ) => (
    <span class="field">
      <label for={`${idPrefix}-${name}`}>{label}</label>
      <input
        id={`${idPrefix}-${name}`}
        type="text"
        inputMode={options.numeric ? 'decimal' : undefined}
        placeholder={options.placeholder}
        required={name === 'name'}
        value={fields[name]}
        onInput={(event) => setFields({ ...fields, [name]: (event.target as HTMLInputElement).value })}
      />
    </span>
  );
  return (
    <form
      class="key-form"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        setError(undefined);
        try {
          await onSubmit(fields, initial);
        } catch (failure) {
          setError((failure as Error).message);
        } finally {
          setBusy(false);
        }
      }}
    >
      <div class="form-grid">
        {input('name', 'Name', { placeholder: 'team-a' })}
        {input('allowedModels', 'Allowed models', { placeholder: 'any (or: sonnet, haiku)' })}
        {input('monthlyBudgetUsd', 'Monthly budget (USD)', { placeholder: 'none', numeric: true })}
        {input('requestsPerMinute', 'Requests per minute', { placeholder: 'none', numeric: true })}
        {input('tokensPerMinute', 'Tokens per minute', { placeholder: 'none', numeric: true })}
        <span class="field">
          <label for={`${idPrefix}-residency`}>Residency</label>
          <select
            id={`${idPrefix}-residency`}
            value={fields.residency}
            onChange={(event) =>
              setFields({ ...fields, residency: (event.target as HTMLSelectElement).value })
            }
          >
            {RESIDENCIES.map((residency) => (
              <option key={residency} value={residency}>
                {residency || 'any'}
              </option>
            ))}
          </select>
        </span>
        {input('expiresAt', 'Expires', { placeholder: 'never (or: 30d, 2027-01-01)' })}
        {input('user', 'User', { placeholder: 'nobody (or: alice@example.com)' })}
      </div>
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

function KeyRow({
  item,
  owner,
  onChanged,
  onSecret,
}: {
  item: PublicKey;
  owner: UserRecord | undefined;
  onChanged: () => void;
  onSecret: (shown: ShownSecret) => void;
}) {
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm-revoke' | 'confirm-rotate'>('view');
  const [error, setError] = useState<string | undefined>();
  const revoked = item.revokedAt !== undefined;
  const revoke = async () => {
    try {
      await api.delete(`/admin/keys/${encodeURIComponent(item.id)}`);
      setMode('view');
      onChanged();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  const rotate = async () => {
    try {
      const answer = await api.post<{ secret: string; previousSecretValidUntil: number }>(
        `/admin/keys/${encodeURIComponent(item.id)}/rotate`,
        { grace: ROTATION_GRACE },
      );
      setMode('view');
      onSecret({
        what: `Key ${item.name}`,
        secret: answer.secret,
        note: `The old secret works until ${time(answer.previousSecretValidUntil)} UTC.`,
      });
      onChanged();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <>
      <tr class={revoked ? 'revoked' : undefined}>
        <th scope="row">
          {item.name}
          <br />
          <code class="muted">{item.prefix}…</code>
        </th>
        <td>{owner ? <a href={page('users', owner.id)}>{owner.name}</a> : (item.userId ?? '—')}</td>
        <td>{item.allowedModels?.join(', ') ?? 'any'}</td>
        <td>{item.residency ?? 'any'}</td>
        <td>{keyLimits(item)}</td>
        <td class="when">
          {time(item.createdAt)}
          <br />
          <span class="muted">used {item.lastUsedAt ? time(item.lastUsedAt) : 'never'}</span>
        </td>
        <td>
          {revoked ? (
            <>
              revoked <span class="when">{time(item.revokedAt)}</span>
            </>
          ) : item.expiresAt ? (
            <>
              expires <span class="when">{time(item.expiresAt)}</span>
            </>
          ) : (
            'active'
          )}
        </td>
        <td class="row-actions">
          {revoked ? null : mode === 'confirm-rotate' ? (
            <span class="confirm">
              <span>New secret? The old one works {ROTATION_GRACE} more.</span>{' '}
              <button type="button" onClick={rotate}>
                Yes, rotate
              </button>{' '}
              <button type="button" class="secondary" onClick={() => setMode('view')}>
                No
              </button>
            </span>
          ) : mode === 'confirm-revoke' ? (
            <span class="confirm">
              <span>Revoke?</span>{' '}
              <button type="button" class="danger" onClick={revoke}>
                Yes, revoke
              </button>{' '}
              <button type="button" class="secondary" onClick={() => setMode('view')}>
                No
              </button>
            </span>
          ) : (
            <>
              <button
                type="button"
                class="secondary"
                onClick={() => setMode(mode === 'edit' ? 'view' : 'edit')}
              >
                Edit<span class="visually-hidden"> {item.name}</span>
              </button>{' '}
              <button type="button" class="secondary" onClick={() => setMode('confirm-rotate')}>
                Rotate<span class="visually-hidden"> {item.name}</span>
              </button>{' '}
              <button type="button" class="danger" onClick={() => setMode('confirm-revoke')}>
                Revoke<span class="visually-hidden"> {item.name}</span>
              </button>
            </>
          )}
          <Failure message={error} />
        </td>
      </tr>
      {mode === 'edit' ? (
        <tr>
          <td colSpan={8}>
            <KeyForm
              idPrefix={`edit-${item.id}`}
              initial={fieldsOf(item, owner)}
              submitLabel="Save"
              onCancel={() => setMode('view')}
              onSubmit={async (fields, initial) => {
                await api.patch(`/admin/keys/${encodeURIComponent(item.id)}`, bodyOf(fields, initial, true));
                setMode('view');
                onChanged();
              }}
            />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** Gateway keys: create (the secret is shown once), change limits, revoke. */
export function KeysPage() {
  const [showRevoked, setShowRevoked] = useState(false);
  const [created, setCreated] = useState<ShownSecret | undefined>();
  const [creating, setCreating] = useState(false);
  const { data, error, loading, reload } = useApi<{ keys: PublicKey[] }>(
    `/admin/keys${showRevoked ? '?all=true' : ''}`,
  );
  const users = useApi<{ users: UserRecord[] }>('/admin/users');
  const ownerOf = (key: PublicKey) => users.data?.users.find((user) => user.id === key.userId);
  return (
    <section>
      <PageTitle
        actions={
          <button type="button" onClick={() => setCreating(!creating)} aria-expanded={creating}>
            New key
          </button>
        }
      >
        Keys
      </PageTitle>
      {created ? <SecretPanel shown={created} onDone={() => setCreated(undefined)} /> : null}
      {creating ? (
        <KeyForm
          idPrefix="new-key"
          initial={EMPTY}
          submitLabel="Create key"
          onCancel={() => setCreating(false)}
          onSubmit={async (fields, initial) => {
            const answer = await api.post<{ key: PublicKey; secret: string }>(
              '/admin/keys',
              bodyOf(fields, initial, false),
            );
            setCreated({ what: `Key ${answer.key.name}`, secret: answer.secret });
            users.reload();
            setCreating(false);
            reload();
          }}
        />
      ) : null}
      <p class="field checkbox">
        <input
          id="keys-revoked"
          type="checkbox"
          checked={showRevoked}
          onChange={(event) => setShowRevoked((event.target as HTMLInputElement).checked)}
        />
        <label for="keys-revoked">Show revoked keys</label>
      </p>
      <Failure message={error} />
      {!data && loading ? <Loading what="keys" /> : null}
      {data ? (
        data.keys.length === 0 ? (
          <p>No keys yet. Without keys the gateway accepts any caller on loopback only.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Gateway keys</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">User</th>
                  <th scope="col">Models</th>
                  <th scope="col">Residency</th>
                  <th scope="col">Budget and rates</th>
                  <th scope="col">Created, last used (UTC)</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.keys.map((item) => (
                  <KeyRow
                    key={item.id}
                    item={item}
                    owner={ownerOf(item)}
                    onChanged={reload}
                    onSecret={setCreated}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </section>
  );
}
