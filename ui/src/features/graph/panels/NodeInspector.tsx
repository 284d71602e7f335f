import type { GraphNode, Supernode } from "../../../backend";
import { CopyButton } from "../../../components/CopyButton";
import { Icon } from "../../../components/Icon";
import { expandability } from "../model/expandable";
import { labelColor, WARNING_COLOR } from "../model/styling";
import { Properties } from "./Properties";
import { SupernodeCounts } from "./SupernodeCounts";

export interface NodeLinks {
  /** The entity's events in Time travel (by id, in its tenant). */
  onOpenTimeTravel?: (aggregateId: string, tenant: string | null) => void;
  /** The tenant's detail (its tables and rows) in Tenants. */
  onOpenTenant?: (tenant: string) => void;
  /** Everything that refers to the id in every store (row, events, cache keys, objects) in Find. */
  onOpenFind?: (needle: string, tenant: string | null) => void;
}

/** A node: what it is, everything it carries, what can be done from it. */
export function NodeInspector({
  node,
  supernode,
  busy,
  links,
  onExpand,
  onPage,
  onPathFrom,
  onPathTo,
}: {
  node: GraphNode;
  supernode: Supernode | null;
  busy: boolean;
  links: NodeLinks;
  onExpand: () => void;
  onPage: (skip: number) => void;
  onPathFrom: () => void;
  onPathTo: () => void;
}) {
  const expand = expandability(node);
  return (
    <div data-testid="graph-inspector-node" data-key={node.key} data-id={node.id ?? ""} data-foreign={String(node.foreign)}>
      <h2 className="graph-inspector-title">{node.caption}</h2>
      <div className="graph-labels">
        {node.labels.map((l) => (
          <span key={l} className="graph-label-chip" style={{ borderColor: node.foreign ? WARNING_COLOR : labelColor(l) }}>
            {l}
          </span>
        ))}
      </div>
      {node.foreign && (
        <p className="error-message graph-foreign-note" data-testid="graph-inspector-foreign" role="note">
          <Icon name="alert" />
          <span>Another tenant's node{node.tenant ? ` (${node.tenant})` : ""}, reached from this tenant: an isolation breach.</span>
        </p>
      )}
      <dl className="graph-facts">
        <dt>id</dt>
        <dd className="mono" data-testid="graph-inspector-id">
          {node.id ?? <span className="muted">none</span>}
          {node.id && <CopyButton value={node.id} label="Copy the id" testId="graph-copy-id" />}
        </dd>
        <dt>tenant</dt>
        <dd className="mono">{node.tenant ?? <span className="muted">none</span>}</dd>
        <dt>degree</dt>
        <dd data-testid="graph-inspector-degree">{node.degree ?? <span className="muted">not read</span>}</dd>
        {node.entityType && (
          <>
            <dt>entity</dt>
            <dd>{node.entityType}</dd>
          </>
        )}
        {node.cacheKey && (
          <>
            <dt>cache key</dt>
            <dd className="mono graph-break">
              {node.cacheKey}
              <CopyButton value={node.cacheKey} label="Copy the cache key" testId="graph-copy-cache-key" />
            </dd>
          </>
        )}
      </dl>
      <div className="graph-actions">
        <button type="button" className="button primary small" data-testid="graph-expand" disabled={busy || !expand.ok} onClick={onExpand}>
          Expand
        </button>
        <button type="button" className="button small" data-testid="graph-path-from-here" disabled={node.id === null} onClick={onPathFrom}>
          Path from here
        </button>
        <button type="button" className="button small" data-testid="graph-path-to-here" disabled={node.id === null} onClick={onPathTo}>
          Path to here
        </button>
      </div>
      {!expand.ok && (
        <p className="muted graph-small" data-testid="graph-expand-reason">
          {expand.reason}
        </p>
      )}
      {supernode && <SupernodeCounts supernode={supernode} busy={busy} canPage={expand.ok} onPage={onPage} />}
      {node.id && node.entityType && (links.onOpenTimeTravel || links.onOpenTenant || links.onOpenFind) && (
        <div className="graph-links">
          <span className="field-caption">Open in</span>
          {links.onOpenFind && (
            <button type="button" className="link-button" data-testid="graph-open-find" onClick={() => links.onOpenFind!(node.id!, node.tenant)}>
              Find (its row, events, cache keys and objects)
            </button>
          )}
          {links.onOpenTimeTravel && (
            <button type="button" className="link-button" data-testid="graph-open-timetravel" onClick={() => links.onOpenTimeTravel!(node.id!, node.tenant)}>
              Time travel (its events)
            </button>
          )}
          {links.onOpenTenant && node.tenant && (
            <button type="button" className="link-button" data-testid="graph-open-tenant" onClick={() => links.onOpenTenant!(node.tenant!)}>
              Tenants (its {node.entityType} rows)
            </button>
          )}
        </div>
      )}
      <h3 className="graph-panel-title">Properties</h3>
      <Properties properties={node.properties} />
    </div>
  );
}
