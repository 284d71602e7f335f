import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useBackend, type StoreKind } from "../../backend";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Icon } from "../../components/Icon";
import { ScreenHeader } from "../../components/Screen";
import { ConnectionEditor } from "./ConnectionEditor";
import { connectionsQuery } from "./queries";

const STORE_TAGS: Record<StoreKind, string> = { postgres: "PG", graph: "Graph", redis: "Redis", objects: "S3" };

interface Editing {
  name: string | null;
  /** Changes only when the user picks another entry (or "New"), not when a new one is saved. */
  key: string;
}

export function ConnectionsScreen({
  activeConnection,
  onActivate,
}: {
  activeConnection: string | null;
  onActivate: (name: string) => void;
}) {
  const backend = useBackend();
  const list = useQuery(connectionsQuery(backend));
  const [editing, setEditing] = useState<Editing>(() =>
    activeConnection ? { name: activeConnection, key: `c:${activeConnection}` } : { name: null, key: "new:0" },
  );

  const [touched, setTouched] = useState(false);
  // Opened before the active connection was known: show it once it is, unless the user moved on.
  if (!touched && editing.name === null && activeConnection !== null) {
    setEditing({ name: activeConnection, key: `c:${activeConnection}` });
  }

  const open = (name: string) => {
    setTouched(true);
    setEditing({ name, key: `c:${name}` });
  };
  const openNew = () => {
    setTouched(true);
    setEditing({ name: null, key: `new:${Date.now()}` });
  };

  return (
    <section className="screen screen-split" data-testid="screen-connections" aria-labelledby="connections-title">
      <div className="list-pane">
        <ScreenHeader
          id="connections-title"
          title="Connections"
          actions={
            <button type="button" className="button small" onClick={openNew} data-testid="connection-new">
              <Icon name="plus" size={14} />
              New
            </button>
          }
        />
        {list.isError && <ErrorMessage error={list.error} />}
        {list.isSuccess && list.data.length === 0 && (
          <p className="muted list-empty">No connections yet. Create one to point Storelens at a platform.</p>
        )}
        <ul className="connection-list" aria-label="Saved connections">
          {list.data?.map((c) => (
            <li key={c.name}>
              <button
                type="button"
                className={`connection-item${editing.name === c.name ? " selected" : ""}`}
                aria-current={editing.name === c.name ? "true" : undefined}
                onClick={() => open(c.name)}
              >
                <span className="connection-item-top">
                  <span className="mono connection-name">{c.name}</span>
                  {c.name === activeConnection && <span className="tag tag-active">active</span>}
                  {!c.readOnly && (
                    <span className="tag tag-warn" title="Writes enabled">
                      rw
                    </span>
                  )}
                </span>
                <span className="connection-item-meta">
                  <span className="mono muted truncate" title={c.profile}>
                    {c.profile}
                  </span>
                </span>
                <span className="connection-item-stores">
                  {c.stores.map((s) => (
                    <span key={s} className="tag">
                      {STORE_TAGS[s]}
                    </span>
                  ))}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </div>
      <div className="detail-pane">
        <ConnectionEditor
          key={editing.key}
          name={editing.name}
          isActive={editing.name !== null && editing.name === activeConnection}
          onSaved={(name) => setEditing((e) => ({ ...e, name }))}
          onDeleted={() => openNew()}
          onActivate={onActivate}
        />
      </div>
    </section>
  );
}
