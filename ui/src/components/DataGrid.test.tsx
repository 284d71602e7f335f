import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { compactJson, prettyJson, looksLikeJson } from "./cells";
import { DataGrid, GRID_VIRTUALIZE_ABOVE, type GridCell, type GridColumn } from "./DataGrid";

const columns: GridColumn[] = [
  { name: "id", typeName: "integer", id: true },
  { name: "body", typeName: "jsonb", json: true },
  { name: "note", typeName: "text" },
];

function rows(n: number): (string | null)[][] {
  return Array.from({ length: n }, (_, i) => [String(i + 1), `{"n": ${i}, "tags": ["a", "b"]}`, i % 3 ? `note ${i}` : null]);
}

function Grid({ data, truncated = [] }: { data: (string | null)[][]; truncated?: [number, number][] }) {
  const [selected, setSelected] = useState<GridCell | null>(null);
  return (
    <>
      <DataGrid columns={columns} rows={data} truncated={truncated} label="Test" testId="grid" selected={selected} onSelect={setSelected} />
      <output data-testid="selected">{selected ? `${selected.row}:${selected.col}` : ""}</output>
    </>
  );
}

describe("DataGrid", () => {
  it("renders only the rows in view of 1,000 rows", () => {
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(600);
    vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(1000);
    render(<Grid data={rows(1_000)} />);
    expect(1_000).toBeGreaterThan(GRID_VIRTUALIZE_ABOVE);
    const rendered = screen.getAllByTestId("grid-row");
    expect(rendered.length).toBeGreaterThan(10);
    expect(rendered.length).toBeLessThan(60);
    expect(screen.getByRole("grid")).toHaveAttribute("aria-rowcount", "1001");
    expect(screen.getByTestId("grid")).toHaveAttribute("data-rows", "1000");
    expect(screen.queryByTestId("grid-cell-900-0")).not.toBeInTheDocument();
  });

  it("shows NULL muted, JSON compact and cut cells marked", () => {
    render(<Grid data={rows(3)} truncated={[[1, 2]]} />);
    expect(within(screen.getByTestId("grid-cell-0-2")).getByText("null")).toHaveClass("cell-null");
    expect(screen.getByTestId("grid-cell-0-1")).toHaveTextContent('{"n":0,"tags":["a","b"]}');
    expect(within(screen.getByTestId("grid-cell-1-2")).getByTestId("cell-cut")).toHaveTextContent("cut");
    expect(within(screen.getByTestId("grid-cell-2-2")).queryByTestId("cell-cut")).not.toBeInTheDocument();
    expect(screen.getAllByRole("columnheader").map((h) => h.textContent)).toEqual(["", "idinteger", "bodyjsonb", "notetext"]);
  });

  it("selects a cell on click and moves with the arrow keys, Enter selecting", async () => {
    const user = userEvent.setup();
    render(<Grid data={rows(5)} />);
    await user.click(screen.getByTestId("grid-cell-1-1"));
    expect(screen.getByTestId("selected")).toHaveTextContent("1:1");
    expect(screen.getByTestId("grid-cell-1-1")).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("grid-cell-1-1")).toHaveAttribute("tabindex", "0");

    screen.getByTestId("grid-cell-1-1").focus();
    await user.keyboard("{ArrowDown}{ArrowRight}");
    expect(screen.getByTestId("grid-cell-2-2")).toHaveFocus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByTestId("grid-cell-2-2")).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(screen.getByTestId("selected")).toHaveTextContent("2:2");
  });
});

describe("cell text", () => {
  it("compacts and pretty-prints JSON, leaving what does not parse as it came", () => {
    expect(compactJson('{"a": [1, 2]}')).toBe('{"a":[1,2]}');
    expect(prettyJson('{"a": [1]}')).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(compactJson('{"a": "cut')).toBe('{"a": "cut');
    expect(looksLikeJson(' {"a": 1}')).toBe(true);
    expect(looksLikeJson("42")).toBe(false);
    expect(looksLikeJson("[not json")).toBe(false);
  });
});
