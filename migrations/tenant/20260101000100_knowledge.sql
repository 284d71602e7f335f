-- Domain tables of one tenant space: `public` for row-tier tenants (shared, keyed by tenant_id),
-- `tenant_<slug>` for schema-tier tenants, the `public` schema of `storelens_tenant_<slug>` for
-- database-tier tenants. Unqualified names: the search_path picks the schema.
--
-- The read-model tables are the fold of knowledge_events: Created carries the initial state,
-- Updated an RFC 7396 merge patch, Deleted a tombstone (no row). Event payload keys are exactly
-- these column names; id, tenant_id, version, created_at and updated_at come from the fold.

CREATE TABLE atoms (
    id              uuid PRIMARY KEY,
    tenant_id       uuid NOT NULL,
    atom_type       text NOT NULL,
    name            text NOT NULL,
    description     text,
    text_value      text,
    number_value    numeric,
    boolean_value   boolean,
    date_value      timestamptz,
    json_value      jsonb,
    confidence      double precision,
    source          text,
    version         integer NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX atoms_tenant_type_idx ON atoms (tenant_id, atom_type);

CREATE TABLE molecules (
    id                        uuid PRIMARY KEY,
    tenant_id                 uuid NOT NULL,
    molecule_type             text NOT NULL,
    name                      text NOT NULL,
    root_atom_id              uuid,
    atom_ids                  uuid[] NOT NULL,
    required_atom_ids         uuid[],
    conflicts_with_molecules  uuid[],
    implements_code_refs      text[],
    configuration             jsonb,
    validation_rules          jsonb,
    enforcement_level         text,
    version                   integer NOT NULL,
    created_at                timestamptz NOT NULL,
    updated_at                timestamptz NOT NULL
);
CREATE INDEX molecules_tenant_idx ON molecules (tenant_id, molecule_type);
CREATE INDEX molecules_atom_ids_gin_idx ON molecules USING gin (atom_ids);

CREATE TABLE documents (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid NOT NULL,
    title              text,
    path               text NOT NULL,
    format             text NOT NULL,
    mime_type          text,
    content            text NOT NULL,
    content_hash       char(64) NOT NULL,
    storage_backend    text NOT NULL,
    storage_reference  text,
    version            integer NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX documents_path_idx ON documents (tenant_id, path);

CREATE TABLE annotations (
    id              uuid PRIMARY KEY,
    tenant_id       uuid NOT NULL,
    document_id     uuid NOT NULL,
    target_type     text NOT NULL,
    start_offset    integer NOT NULL,
    end_offset      integer NOT NULL,
    css_selector    text,
    knowledge_type  text NOT NULL,
    knowledge_id    uuid NOT NULL,
    layer           text,
    confidence      double precision,
    source          text,
    style           jsonb,
    validated_by    uuid,
    validated_at    timestamptz,
    version         integer NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX annotations_document_idx ON annotations (tenant_id, document_id);
CREATE INDEX annotations_knowledge_idx ON annotations (tenant_id, knowledge_type, knowledge_id);

CREATE TABLE knowledge_events (
    id              uuid PRIMARY KEY,
    sequence        bigserial UNIQUE,
    tenant_id       uuid NOT NULL,
    event_type      text NOT NULL,
    aggregate_type  text NOT NULL,
    aggregate_id    uuid NOT NULL,
    event_data      jsonb NOT NULL,
    metadata        jsonb,
    causation_id    uuid,
    correlation_id  uuid,
    user_id         uuid,
    occurred_at     timestamptz NOT NULL
);
CREATE INDEX knowledge_events_aggregate_idx
    ON knowledge_events (tenant_id, aggregate_type, aggregate_id, occurred_at, sequence);
CREATE INDEX knowledge_events_tenant_time_idx ON knowledge_events (tenant_id, occurred_at, sequence);
