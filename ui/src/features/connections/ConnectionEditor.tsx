import { useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { useBackend, type HealthReport, type StoreKind, type StoredSecrets, type TlsMode } from "../../backend";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Icon } from "../../components/Icon";
import { StateDot } from "../../components/StateDot";
import { describeError } from "../../lib/errors";
import { formatLatency } from "../../lib/format";
import { STORE_LABELS, STORE_STATE_LABELS } from "../../lib/stores";
import {
  BUILTIN_PROFILE,
  NO_STORED_SECRETS,
  draftFromForm,
  emptyForm,
  emptySecrets,
  formFromDraft,
  secretsInput,
  type FormState,
  type SecretFields,
} from "./form";
import { connectionQuery, useDeleteConnection, useSaveConnection, useTestConnection } from "./queries";

interface EditorProps {
  /** null: a new connection. */
  name: string | null;
  isActive: boolean;
  onSaved: (name: string) => void;
  onDeleted: (name: string) => void;
  onActivate: (name: string) => void;
}

/**
 * Edits one connection. Stays mounted when a new connection is saved (the
 * `name` prop goes from null to its name), so a Test's result stays visible.
 */
export function ConnectionEditor(props: EditorProps) {
  const backend = useBackend();
  const details = useQuery({ ...connectionQuery(backend, props.name ?? ""), enabled: props.name !== null });
  const [initial, setInitial] = useState<FormState | null>(() => (props.name === null ? emptyForm() : null));
  if (initial === null && details.data) setInitial(formFromDraft(details.data.draft));

  if (initial === null) {
    return (
      <div className="editor-pane">
        {details.isError ? <ErrorMessage error={details.error} testId="editor-load-error" /> : <p className="muted">Loading…</p>}
      </div>
    );
  }
  return <EditorForm {...props} initial={initial} stored={details.data?.secrets ?? NO_STORED_SECRETS} />;
}

function EditorForm({
  name,
  isActive,
  onSaved,
  onDeleted,
  onActivate,
  initial,
  stored,
}: EditorProps & { initial: FormState; stored: StoredSecrets }) {
  const [form, setForm] = useState(initial);
  const [secrets, setSecrets] = useState<SecretFields>(emptySecrets);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const saver = useSaveConnection();
  const tester = useTestConnection();
  const deleter = useDeleteConnection();
  const isNew = name === null;
  const busy = saver.pending || tester.isPending || deleter.isPending;

  const update = <K extends keyof FormState>(key: K, value: Partial<FormState[K]> | FormState[K]) =>
    setForm((f) => ({
      ...f,
      [key]: typeof value === "object" && value !== null ? { ...(f[key] as object), ...value } : value,
    }));
  const updateSecret = (store: StoreKind, value: Partial<SecretFields[StoreKind]>) =>
    setSecrets((s) => ({ ...s, [store]: { ...s[store], ...value } }));

  async function save() {
    setSavedAt(null);
    tester.reset();
    deleter.reset();
    const summary = await saver.save(draftFromForm(form), secretsInput(secrets));
    if (summary) {
      // The passwords went to the keychain; drop every copy the UI had.
      setSecrets(emptySecrets());
      setSavedAt(new Date().toLocaleTimeString(undefined, { hour12: false }));
      if (isNew || summary.name !== name) onSaved(summary.name);
    }
    return summary;
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void save();
  }

  async function onTest() {
    const summary = await save();
    if (summary) tester.mutate(summary.name);
  }

  function onDelete() {
    if (name === null) return;
    deleter.mutate(name, { onSuccess: () => onDeleted(name) });
  }

  const error = saver.error ?? deleter.error;

  return (
    <form className="editor-pane" onSubmit={onSubmit} noValidate aria-label="Connection editor" data-testid="connection-editor">
      <header className="editor-header">
        <div>
          <h2>{isNew ? "New connection" : name}</h2>
          <p className="muted">
            {isNew
              ? "Endpoints are stored in the config file; passwords only in the system keychain."
              : "Passwords are kept in the system keychain, never in the config file."}
          </p>
        </div>
        {!isNew && (
          <div className="editor-header-actions">
            {isActive ? (
              <span className="tag tag-active">active</span>
            ) : (
              <button type="button" className="button" onClick={() => onActivate(name)}>
                Use this connection
              </button>
            )}
          </div>
        )}
      </header>

      <fieldset className="section">
        <legend>General</legend>
        <div className="field-grid">
          <Field label="Name" hint={isNew ? "Letters, digits, '.', '_' or '-'." : "The name identifies the connection and its keychain entries."}>
            {(id) => (
              <input
                id={id}
                className="mono"
                value={form.name}
                disabled={!isNew}
                spellCheck={false}
                autoComplete="off"
                placeholder="prod-eu"
                onChange={(e) => update("name", e.target.value)}
              />
            )}
          </Field>
          <Field label="Profile" hint={`"${BUILTIN_PROFILE}" (built-in) or the path of a platform profile (.toml).`}>
            {(id) => (
              <>
                <input
                  id={id}
                  className="mono"
                  list={`${id}-options`}
                  value={form.profile}
                  spellCheck={false}
                  autoComplete="off"
                  onChange={(e) => update("profile", e.target.value)}
                />
                <datalist id={`${id}-options`}>
                  <option value={BUILTIN_PROFILE} />
                </datalist>
              </>
            )}
          </Field>
          <Field label="Access" inline>
            {(id) => (
              <div className="stack">
                <label className="check">
                  <input
                    id={id}
                    type="checkbox"
                    checked={form.readOnly}
                    onChange={(e) => update("readOnly", e.target.checked)}
                  />
                  Read-only
                </label>
                {!form.readOnly && (
                  <p className="warning" role="note" data-testid="read-only-warning">
                    <Icon name="alert" size={14} />
                    Writes enabled: repair and cleanup actions will be able to change data on this platform. Keep
                    read-only for investigations and audits.
                  </p>
                )}
              </div>
            )}
          </Field>
        </div>
      </fieldset>

      <StoreSection
        store="postgres"
        title="PostgreSQL"
        enabled={form.postgres.enabled}
        onToggle={(enabled) => update("postgres", { enabled })}
        stored={stored.postgres}
        secret={secrets.postgres}
        onSecret={(v) => updateSecret("postgres", v)}
      >
        <Field label="URL">
          {(id) => (
            <input
              id={id}
              className="mono"
              value={form.postgres.url}
              spellCheck={false}
              autoComplete="off"
              placeholder="postgres://user@host:5432/database"
              onChange={(e) => update("postgres", { url: e.target.value })}
            />
          )}
        </Field>
        <Field label="TLS">
          {(id) => (
            <select
              id={id}
              value={form.postgres.tls}
              onChange={(e) => update("postgres", { tls: e.target.value as TlsMode })}
            >
              <option value="disable">disable</option>
              <option value="prefer">prefer</option>
              <option value="require">require</option>
            </select>
          )}
        </Field>
      </StoreSection>

      <StoreSection
        store="graph"
        title="Graph (Bolt)"
        enabled={form.graph.enabled}
        onToggle={(enabled) => update("graph", { enabled })}
        stored={stored.graph}
        secret={secrets.graph}
        onSecret={(v) => updateSecret("graph", v)}
      >
        <Field label="URL">
          {(id) => (
            <input
              id={id}
              className="mono"
              value={form.graph.url}
              spellCheck={false}
              autoComplete="off"
              placeholder="bolt://host:7687"
              onChange={(e) => update("graph", { url: e.target.value })}
            />
          )}
        </Field>
        <Field label="User">
          {(id) => (
            <input
              id={id}
              className="mono"
              value={form.graph.user}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => update("graph", { user: e.target.value })}
            />
          )}
        </Field>
        <Field label="Database">
          {(id) => (
            <input
              id={id}
              className="mono"
              value={form.graph.database}
              spellCheck={false}
              autoComplete="off"
              placeholder="server default"
              onChange={(e) => update("graph", { database: e.target.value })}
            />
          )}
        </Field>
      </StoreSection>

      <StoreSection
        store="redis"
        title="Redis"
        enabled={form.redis.enabled}
        onToggle={(enabled) => update("redis", { enabled })}
        stored={stored.redis}
        secret={secrets.redis}
        onSecret={(v) => updateSecret("redis", v)}
      >
        <Field label="URLs" hint="One per line; for a cluster, any number of seed nodes.">
          {(id) => (
            <textarea
              id={id}
              className="mono"
              rows={2}
              value={form.redis.urls}
              spellCheck={false}
              autoComplete="off"
              placeholder="redis://host:6379"
              onChange={(e) => update("redis", { urls: e.target.value })}
            />
          )}
        </Field>
        <Field label="Topology" inline>
          {(id) => (
            <label className="check">
              <input
                id={id}
                type="checkbox"
                checked={form.redis.cluster}
                onChange={(e) => update("redis", { cluster: e.target.checked })}
              />
              Redis Cluster
            </label>
          )}
        </Field>
        <Field label="Username">
          {(id) => (
            <input
              id={id}
              className="mono"
              value={form.redis.username}
              spellCheck={false}
              autoComplete="off"
              placeholder="default"
              onChange={(e) => update("redis", { username: e.target.value })}
            />
          )}
        </Field>
      </StoreSection>

      <StoreSection
        store="objects"
        title="Objects (S3)"
        passwordLabel="Secret key"
        enabled={form.objects.enabled}
        onToggle={(enabled) => update("objects", { enabled })}
        stored={stored.objects}
        secret={secrets.objects}
        onSecret={(v) => updateSecret("objects", v)}
      >
        <Field label="Endpoint">
          {(id) => (
            <input
              id={id}
              className="mono"
              value={form.objects.endpoint}
              spellCheck={false}
              autoComplete="off"
              placeholder="https://s3.eu-west-1.amazonaws.com"
              onChange={(e) => update("objects", { endpoint: e.target.value })}
            />
          )}
        </Field>
        <Field label="Region">
          {(id) => (
            <input
              id={id}
              className="mono"
              value={form.objects.region}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => update("objects", { region: e.target.value })}
            />
          )}
        </Field>
        <Field label="Bucket">
          {(id) => (
            <input
              id={id}
              className="mono"
              value={form.objects.bucket}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => update("objects", { bucket: e.target.value })}
            />
          )}
        </Field>
        <Field label="Access key ID">
          {(id) => (
            <input
              id={id}
              className="mono"
              value={form.objects.accessKeyId}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => update("objects", { accessKeyId: e.target.value })}
            />
          )}
        </Field>
      </StoreSection>

      <div className="editor-footer">
        {error && <ErrorMessage error={error} testId="editor-error" />}
        {tester.isError && <ErrorMessage error={tester.error} testId="test-error" />}
        {tester.data && <TestResult report={tester.data} />}
        <div className="action-bar">
          <button type="submit" className="button primary" disabled={busy} data-testid="editor-save">
            {saver.pending ? "Saving…" : "Save"}
          </button>
          <button type="button" className="button" disabled={busy} onClick={() => void onTest()} data-testid="editor-test">
            {tester.isPending ? "Testing…" : "Test"}
          </button>
          {savedAt && !error && (
            <span className="saved-note" role="status">
              Saved at {savedAt}
            </span>
          )}
          <span className="spacer" />
          {!isNew &&
            (confirmDelete ? (
              <span className="confirm" role="group" aria-label="Confirm deletion">
                <span>Delete “{name}” and its stored passwords?</span>
                <button type="button" className="button danger" disabled={busy} onClick={onDelete} data-testid="editor-delete-confirm">
                  Delete
                </button>
                <button type="button" className="button" onClick={() => setConfirmDelete(false)}>
                  Cancel
                </button>
              </span>
            ) : (
              <button type="button" className="button danger-outline" disabled={busy} onClick={() => setConfirmDelete(true)} data-testid="editor-delete">
                Delete
              </button>
            ))}
        </div>
      </div>
    </form>
  );
}

/**
 * A labelled row of the form grid. `inline`: the control carries its own label
 * (a checkbox), so the row's label is only a caption.
 */
function Field({
  label,
  hint,
  inline = false,
  children,
}: {
  label: string;
  hint?: string;
  inline?: boolean;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <>
      {inline ? (
        <span className="field-label">{label}</span>
      ) : (
        <label htmlFor={id} className="field-label">
          {label}
        </label>
      )}
      <div className="field-control">
        {children(id)}
        {hint && <p className="hint">{hint}</p>}
      </div>
    </>
  );
}

function StoreSection({
  store,
  title,
  passwordLabel = "Password",
  enabled,
  onToggle,
  stored,
  secret,
  onSecret,
  children,
}: {
  store: StoreKind;
  title: string;
  passwordLabel?: string;
  enabled: boolean;
  onToggle: (enabled: boolean) => void;
  stored: boolean;
  secret: SecretFields[StoreKind];
  onSecret: (value: Partial<SecretFields[StoreKind]>) => void;
  children: ReactNode;
}) {
  const passwordId = useId();
  return (
    <fieldset className={`section${enabled ? "" : " section-off"}`} data-testid={`section-${store}`}>
      <legend>
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => onToggle(e.target.checked)} />
          {title}
        </label>
      </legend>
      {enabled ? (
        <div className="field-grid">
          {children}
          <label htmlFor={passwordId} className="field-label">
            {passwordLabel}
          </label>
          <div className="field-control">
            <div className="secret-row">
              <input
                id={passwordId}
                type="password"
                autoComplete="off"
                spellCheck={false}
                className="mono"
                data-testid={`secret-${store}`}
                value={secret.value}
                disabled={secret.remove}
                placeholder={stored ? "leave empty to keep the stored one" : "not set"}
                onChange={(e) => onSecret({ value: e.target.value })}
              />
              {stored && !secret.remove && (
                <>
                  <span className="keychain-badge" data-testid={`secret-stored-${store}`}>
                    <Icon name="key" size={12} />
                    stored in keychain
                  </span>
                  <button
                    type="button"
                    className="link-button"
                    data-testid={`secret-remove-${store}`}
                    onClick={() => onSecret({ remove: true, value: "" })}
                  >
                    Remove stored password
                  </button>
                </>
              )}
              {secret.remove && (
                <>
                  <span className="remove-note">will be removed on save</span>
                  <button type="button" className="link-button" onClick={() => onSecret({ remove: false })}>
                    Undo
                  </button>
                </>
              )}
            </div>
          </div>
        </div>
      ) : (
        <p className="muted section-off-note">Not configured: {STORE_LABELS[store]} checks and audits are skipped.</p>
      )}
    </fieldset>
  );
}

function TestResult({ report }: { report: HealthReport }) {
  return (
    <div className="test-result" data-testid="test-result" role="status">
      <span className="test-result-title">Test of {report.connection}</span>
      <ul>
        {report.stores.map((s) => (
          <li key={s.store} data-state={s.state}>
            <StateDot state={s.state} />
            <span className="test-store">{STORE_LABELS[s.store]}</span>
            <span className="muted">{STORE_STATE_LABELS[s.state]}</span>
            {s.state === "up" && s.latencyMs !== null && <span className="mono">{formatLatency(s.latencyMs)}</span>}
            {s.error && <span className="test-error-text">{describeError(s.error).text}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
