import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { mockTenants } from "../../backend/mock";
import { TenantTable, VIRTUALIZE_ABOVE } from "./TenantTable";

describe("TenantTable", () => {
  it("renders only the rows in view of a long page", () => {
    // jsdom has no layout: give the scroll container a 600 px viewport.
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(600);
    vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(1000);
    const tenants = mockTenants(1_000);
    render(
      <TenantTable
        tenants={tenants}
        sort="slug"
        onSort={vi.fn()}
        selectedId={null}
        onOpen={vi.fn()}
        busy={false}
        scrollKey="k"
      />,
    );
    expect(tenants.length).toBeGreaterThan(VIRTUALIZE_ABOVE);
    const rendered = screen.getAllByTestId(/^tenants-row-/);
    expect(rendered.length).toBeGreaterThan(0);
    // 600 / 28 px rows, plus overscan.
    expect(rendered.length).toBeLessThan(60);
    expect(screen.queryByTestId("tenants-row-org-0900")).not.toBeInTheDocument();
    expect(screen.getByTestId("tenants-row-acme")).toHaveAttribute("aria-rowindex", "2");
    expect(screen.getByRole("grid")).toHaveAttribute("aria-rowcount", "1001");
  });

  it("reports a click on a sortable header as that sort", async () => {
    const onSort = vi.fn();
    render(
      <TenantTable tenants={mockTenants(5)} sort="slug" onSort={onSort} selectedId={null} onOpen={vi.fn()} busy={false} scrollKey="k" />,
    );
    screen.getByTestId("tenants-sort-created_at").click();
    expect(onSort).toHaveBeenCalledWith("created_at");
    // Clicking the sorted column keeps it ascending (the backend sorts one way).
    screen.getByTestId("tenants-sort-slug").click();
    expect(onSort).toHaveBeenLastCalledWith("slug");
  });
});
