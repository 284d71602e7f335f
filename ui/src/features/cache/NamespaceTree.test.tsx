import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Namespace } from "../../backend";
import { NamespaceTree, TREE_VIRTUALIZE_ABOVE } from "./NamespaceTree";

/** The root, one `big:` folder with `n` subfolders, and how many it hides. */
function wide(n: number, hidden: number): Namespace[] {
  const keys = n * 3;
  return [
    { prefix: { text: "" }, depth: 0, keys: String(keys), ownKeys: "0", hiddenFolders: 0, sampledKeys: 0, bytes: null },
    { prefix: { text: "big:" }, depth: 1, keys: String(keys), ownKeys: "0", hiddenFolders: hidden, sampledKeys: 0, bytes: null },
    ...Array.from({ length: n }, (_, i) => ({
      prefix: { text: `big:${String(i).padStart(5, "0")}:` },
      depth: 2,
      keys: "3",
      ownKeys: "3",
      hiddenFolders: 0,
      sampledKeys: 3,
      bytes: "600",
    })),
  ];
}

describe("NamespaceTree", () => {
  it("renders only the folders in view of thousands", () => {
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(600);
    vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(300);
    render(<NamespaceTree namespaces={wide(5_000, 0)} memorySampleEvery={1} selected={null} onSelect={() => undefined} />);
    // The root's only child opens at once: every subfolder is a row.
    expect(screen.getByTestId("cache-tree")).toHaveAttribute("data-rows", "5002");
    expect(5_002).toBeGreaterThan(TREE_VIRTUALIZE_ABOVE);
    const rendered = screen.getAllByTestId("cache-folder");
    expect(rendered.length).toBeGreaterThan(10);
    expect(rendered.length).toBeLessThan(80);
  });

  it("says how many smaller folders were left out, and folds with the keyboard", async () => {
    const user = userEvent.setup();
    const onSelect = vi.fn();
    render(<NamespaceTree namespaces={wide(3, 12)} memorySampleEvery={1} selected={null} onSelect={onSelect} />);
    const big = screen.getAllByTestId("cache-folder")[1]!;
    expect(big).toHaveAttribute("data-prefix", "big:");
    expect(big).toHaveTextContent("9 keys");
    expect(big).toHaveTextContent("+12 smaller folders");
    // The root's only child: open at first.
    expect(big).toHaveAttribute("aria-expanded", "true");
    expect(screen.getAllByTestId("cache-folder")).toHaveLength(5);
    big.focus();
    await user.keyboard("{ArrowLeft}");
    expect(screen.getAllByTestId("cache-folder")).toHaveLength(2);
    await user.keyboard("{ArrowRight}");
    expect(screen.getAllByTestId("cache-folder")).toHaveLength(5);
    await user.keyboard("{ArrowLeft}");
    // Selecting opens it too.
    await user.keyboard("{Enter}");
    expect(onSelect).toHaveBeenCalledWith(expect.objectContaining({ label: "big:", id: "t:big:" }));
    expect(screen.getAllByTestId("cache-folder")).toHaveLength(5);
  });
});
