-- Platform tables of the Storelens sandbox (database storelens_sandbox, schema public).
-- The tenant list, the shard map of database-tier tenants, and the audit trail.

CREATE TABLE tenants (
    id          uuid PRIMARY KEY,
    slug        text UNIQUE NOT NULL,
    name        text NOT NULL,
    tier        text NOT NULL CHECK (tier IN ('row', 'schema', 'database')),
    created_at  timestamptz NOT NULL
);

CREATE TABLE tenant_shards (
    tenant_id      uuid PRIMARY KEY REFERENCES tenants (id),
    shard_id       integer NOT NULL,
    database_host  text NOT NULL,
    database_name  text NOT NULL
);

CREATE TABLE audit_log (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      uuid NOT NULL,
    user_id        uuid,
    action         text NOT NULL,
    resource_type  text NOT NULL,
    resource_id    uuid NOT NULL,
    old_values     jsonb,
    new_values     jsonb,
    ip_address     inet,
    user_agent     text,
    request_id     uuid,
    created_at     timestamptz NOT NULL
);

CREATE INDEX audit_log_resource_idx ON audit_log (tenant_id, resource_type, resource_id, created_at);
