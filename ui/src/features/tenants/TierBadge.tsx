import type { Tier } from "../../backend";
import { TIER_DESCRIPTIONS, TIER_LABELS } from "./format";

export function TierBadge({ tier, testId }: { tier: Tier; testId?: string }) {
  return (
    <span className={`tier-badge tier-${tier}`} data-testid={testId} data-tier={tier} title={TIER_DESCRIPTIONS[tier]}>
      {TIER_LABELS[tier]}
    </span>
  );
}
