import type { StoreKind } from "./types";

/** The four stores of a platform, in the order the UI shows them. */
export const STORE_KINDS: readonly StoreKind[] = ["postgres", "graph", "redis", "objects"];
