import { useEffect, useState, type MouseEvent } from "react";
import { Icon } from "./Icon";

/** Copies `value` to the clipboard; shows a check for a moment after. */
export function CopyButton({ value, label, testId }: { value: string; label: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1_200);
    return () => clearTimeout(timer);
  }, [copied]);

  async function copy(event: MouseEvent) {
    // Inside a row or cell: copying is not opening it.
    event.stopPropagation();
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // No clipboard permission: the value is selectable text next to the button.
    }
  }

  return (
    <button
      type="button"
      className={`icon-button copy-button${copied ? " copied" : ""}`}
      aria-label={label}
      title={copied ? "Copied" : label}
      data-testid={testId}
      onClick={(e) => void copy(e)}
      onKeyDown={(e) => e.stopPropagation()}
    >
      <Icon name={copied ? "check" : "copy"} size={13} />
    </button>
  );
}
