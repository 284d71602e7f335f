// The forms of the graph screen as backend requests, checked against the backend's bounds first
// (the backend checks them again; this only says so before a round trip).
import type { Direction, ExpandRequest, NodeRef, PathRequest, SearchRequest } from "../../../backend";

export const MAX_HOPS = 4;
export const MAX_LIMIT = 5_000;
export const DEFAULT_LIMIT = 500;
export const MAX_PATH_HOPS = 12;
export const DEFAULT_PATH_HOPS = 6;
/** Most start nodes one expansion takes (the backend's bound). */
export const MAX_START = 100;
export const SEARCH_LIMIT = 50;

export interface ExpandForm {
  hops: number;
  direction: Direction;
  /** Relationships read per hop, as typed. */
  limit: string;
  labels: readonly string[];
  types: readonly string[];
}

export const DEFAULT_EXPAND_FORM: ExpandForm = { hops: 1, direction: "both", limit: String(DEFAULT_LIMIT), labels: [], types: [] };

/** A whole number in `[min, max]`, or why not. */
function whole(value: string, name: string, min: number, max: number): number | { invalid: string } {
  const t = value.trim();
  if (!/^\d+$/.test(t) || Number(t) < min || Number(t) > max) {
    return { invalid: `${name} is a whole number from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}` };
  }
  return Number(t);
}

export type Built<T> = { request: T } | { invalid: string };

export function buildSearchRequest(tenant: string, text: string): Built<SearchRequest> {
  if (tenant.trim() === "") return { invalid: "Name a tenant first" };
  if (text.trim() === "") return { invalid: "Type an id or part of a name" };
  return { request: { tenant: tenant.trim(), text: text.trim(), label: null, limit: SEARCH_LIMIT } };
}

/**
 * An expansion of `start` by the form; `skip` pages one node's neighbours, so it expands that
 * node alone by one hop, whatever the form's hops.
 */
export function buildExpandRequest(
  tenant: string,
  start: readonly NodeRef[],
  form: ExpandForm,
  skip: number | null = null,
): Built<ExpandRequest> {
  if (tenant.trim() === "") return { invalid: "Name a tenant first" };
  if (start.length === 0) return { invalid: "Nothing to expand" };
  if (start.length > MAX_START) return { invalid: `An expansion starts from at most ${MAX_START} nodes` };
  const limit = whole(form.limit, "The cap per hop", 1, MAX_LIMIT);
  if (typeof limit !== "number") return limit;
  const paging = skip !== null;
  if (paging && start.length !== 1) return { invalid: "A page of neighbours is one node's" };
  if (!paging && (form.hops < 1 || form.hops > MAX_HOPS)) return { invalid: `Hops are 1 to ${MAX_HOPS}` };
  return {
    request: {
      tenant: tenant.trim(),
      start: [...start],
      hops: paging ? 1 : form.hops,
      labels: [...form.labels],
      types: [...form.types],
      direction: form.direction,
      limit,
      skip,
      supernodeDegree: null,
    },
  };
}

export interface PathForm {
  from: string;
  to: string;
  all: boolean;
  maxHops: string;
}

export const DEFAULT_PATH_FORM: PathForm = { from: "", to: "", all: false, maxHops: String(DEFAULT_PATH_HOPS) };

/** `labelOf` names the label of an id drawn on the canvas (null: the backend tries the profile's). */
export function buildPathRequest(tenant: string, form: PathForm, labelOf: (id: string) => string | null): Built<PathRequest> {
  if (tenant.trim() === "") return { invalid: "Name a tenant first" };
  const from = form.from.trim();
  const to = form.to.trim();
  if (from === "" || to === "") return { invalid: "Pick both ends (by id, or from the inspector)" };
  const maxHops = whole(form.maxHops, "Max hops", 1, MAX_PATH_HOPS);
  if (typeof maxHops !== "number") return maxHops;
  return {
    request: {
      tenant: tenant.trim(),
      from: { id: from, label: labelOf(from) },
      to: { id: to, label: labelOf(to) },
      maxHops,
      all: form.all,
    },
  };
}
