import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, type CSSProperties } from "react";

/**
 * The rows of a fixed-height row list, virtualized once there are more than
 * `virtualizeAbove`: the scroll element's ref, the row indexes to render,
 * the body's style (its full height) and each row's (its offset). Scrolls
 * back to the top whenever `scrollKey` changes.
 */
export function useVirtualRows({
  count,
  rowHeight,
  virtualizeAbove,
  scrollKey,
  getItemKey,
}: {
  count: number;
  rowHeight: number;
  virtualizeAbove: number;
  scrollKey: string;
  getItemKey?: (index: number) => string | number;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = count > virtualizeAbove;
  const virtualizer = useVirtualizer({
    count,
    enabled: virtual,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    ...(getItemKey ? { getItemKey } : {}),
    overscan: 12,
  });

  useEffect(() => {
    scrollRef.current?.scrollTo?.({ top: 0 });
  }, [scrollKey]);

  const indexes = virtual ? virtualizer.getVirtualItems().map((v) => v.index) : Array.from({ length: count }, (_, i) => i);
  const bodyStyle: CSSProperties | undefined = virtual ? { height: virtualizer.getTotalSize() } : undefined;
  const rowStyle = (index: number): CSSProperties | undefined =>
    virtual ? { transform: `translateY(${index * rowHeight}px)` } : undefined;
  return { scrollRef, virtual, virtualizer, indexes, bodyStyle, rowStyle };
}
