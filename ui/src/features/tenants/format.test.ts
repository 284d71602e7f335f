import { describe, expect, it } from "vitest";
import { createdDate, locationSummary, pageCount, rangeText } from "./format";
import { buildTenantQuery } from "./queries";

describe("tenant formatting", () => {
  it("words page ranges", () => {
    expect(rangeText(0, 100, 100, 250)).toBe("1–100 of 250");
    expect(rangeText(1, 100, 100, 250)).toBe("101–200 of 250");
    expect(rangeText(2, 100, 50, 250)).toBe("201–250 of 250");
    expect(rangeText(0, 100, 0, 0)).toBe("0 of 0");
    expect(rangeText(10, 100, 100, 12_000)).toBe("1,001–1,100 of 12,000");
    expect(pageCount(0, 100)).toBe(1);
    expect(pageCount(250, 100)).toBe(3);
  });

  it("shows the date of a created-at as the database wrote it", () => {
    expect(createdDate("2024-01-15 09:00:00+00")).toBe("2024-01-15");
    expect(createdDate("2024-01-15T09:00:00Z")).toBe("2024-01-15");
    expect(createdDate("yesterday")).toBe("yesterday");
    expect(createdDate(null)).toBe("—");
  });

  it("says where each tier lives", () => {
    expect(locationSummary({ kind: "row", schema: "public", tenant_column: "tenant_id" })).toMatchObject({
      main: "public",
      extra: "by tenant_id",
    });
    expect(locationSummary({ kind: "schema", schema: "tenant_x" })).toMatchObject({ main: "tenant_x", extra: null });
    expect(locationSummary({ kind: "database", host: "db-2:5432", database: "t_x", schema: "app" })).toMatchObject({
      main: "t_x",
      extra: "@ db-2:5432",
      title: "Own database t_x (schema app) on db-2:5432",
    });
    expect(locationSummary({ kind: "database", host: null, database: "t_x", schema: "app" }).extra).toBe("@ main server");
  });

  it("sends a trimmed search, null when blank, and the page size", () => {
    expect(buildTenantQuery("  acme ", "tier", 2)).toEqual({ search: "acme", sort: "tier", page: 2, pageSize: 100 });
    expect(buildTenantQuery("   ", "slug", 0).search).toBeNull();
  });
});

describe("footprint formatting", () => {
  it("groups counts and sizes bytes", async () => {
    const { formatBytes, formatCount } = await import("./footprint");
    expect(formatCount("0")).toBe("0");
    expect(formatCount("1234567")).toBe("1,234,567");
    expect(formatCount("18446744073709551615")).toBe("18,446,744,073,709,551,615");
    expect(formatBytes("512")).toBe("512 B");
    expect(formatBytes("1536")).toBe("1.5 KiB");
    expect(formatBytes(String(300 * 1024 * 1024))).toBe("300 MiB");
  });
});
