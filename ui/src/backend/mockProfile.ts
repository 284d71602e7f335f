import type { ProfileSummary } from "./types";

/** The built-in sandbox profile, as `profileSummary` reports it. */
export const MOCK_PROFILE: ProfileSummary = {
  name: "sandbox",
  description: "Storelens sandbox: a Knowledge OS platform (atoms, molecules, documents, annotations)",
  entities: [
    { entityType: "atom", table: "atoms", idColumn: "id", graphLabel: "Atom", cacheKey: "tenant:{tenant_id}:atom:{id}" },
    { entityType: "molecule", table: "molecules", idColumn: "id", graphLabel: "Molecule", cacheKey: null },
    { entityType: "document", table: "documents", idColumn: "id", graphLabel: "Document", cacheKey: null },
    { entityType: "annotation", table: "annotations", idColumn: "id", graphLabel: null, cacheKey: null },
  ],
  eventsTable: "knowledge_events",
  graphTenantProperty: "tenantId",
  cacheTenantPrefix: "tenant:{tenant_id}:",
};

/** The sandbox's object layout (shared bucket, one prefix per tenant). */
export const MOCK_BUCKET = "knowledge-os";
export const mockObjectPrefix = (slug: string) => `tenant-${slug}/`;
export const mockCachePrefix = (tenantId: string) => `tenant:${tenantId}:`;
