// The shape of a mock entity's event log: how many events, when, with which
// sequence numbers and types. `find` lists the latest of them; the time
// travel commands fold all of them (mockTimeTravel.ts), so both agree.
import { mockCount } from "./mockIds";
import type { Tenant } from "./types";

export interface MockEventPlan {
  total: number;
  /** The event type of the n-th event (0-based, oldest first). */
  type: (n: number) => string;
  /** RFC 3339 (UTC, milliseconds) time of the n-th event. */
  time: (n: number) => string;
  sequence: (n: number) => number;
}

/** The aggregate type's event prefix: `atom` → `Atom`. */
export const eventPrefix = (entity: string) => `${entity[0]!.toUpperCase()}${entity.slice(1)}`;

/**
 * The events of an entity row: created, then updated; a soft-deleted row's
 * last event (when it has more than one) is its delete.
 */
export function mockEventPlan(tenant: Tenant, entity: string, id: string, deleted: boolean): MockEventPlan {
  const total = mockCount(`${tenant.id}/${id}/events`, 1, 36);
  const prefix = eventPrefix(entity);
  const start = Date.UTC(2024, 3, 2, 9, 0, 0) + mockCount(id, 0, 90) * 86_400_000;
  const seq = mockCount(`${id}/seq`, 1_000, 900_000);
  return {
    total,
    type: (n) => (n === 0 ? `${prefix}Created` : deleted && n === total - 1 ? `${prefix}Deleted` : `${prefix}Updated`),
    time: (n) => new Date(start + n * 5_400_000).toISOString(),
    sequence: (n) => seq + n * 7,
  };
}
