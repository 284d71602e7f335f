import type { StoreState } from "../backend";

export function StateDot({ state }: { state: StoreState | "unknown" }) {
  return <span className={`state-dot state-${state}`} aria-hidden="true" />;
}
