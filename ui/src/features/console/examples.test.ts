import { describe, expect, it } from "vitest";
import { MOCK_PROFILE } from "../../backend/mockProfile";
import { mockTenants } from "../../backend/mock";
import { exampleStatement, fillTenantPattern, tenantNote } from "./examples";

const tyrell = mockTenants().find((t) => t.slug === "tyrell")!;
const none = { input: null, resolved: null };

describe("console examples", () => {
  it("build statements from the profile's names", () => {
    expect(exampleStatement("sql", MOCK_PROFILE, none)).toBe("SELECT * FROM atoms LIMIT 50");
    expect(exampleStatement("sql", MOCK_PROFILE, { input: "tyrell", resolved: tyrell })).toBe("SELECT * FROM atoms LIMIT 50");
    expect(exampleStatement("cypher", MOCK_PROFILE, none)).toBe("MATCH (n:Atom) RETURN n LIMIT 25");
    expect(exampleStatement("redis", MOCK_PROFILE, none)).toBe("SCAN 0 COUNT 100");
    expect(exampleStatement("redis", MOCK_PROFILE, { input: "tyrell", resolved: tyrell })).toBe(
      `SCAN 0 MATCH tenant:${tyrell.id}:* COUNT 100`,
    );
  });

  it("fall back without a profile, and fill patterns with what was typed until the tenant is known", () => {
    expect(exampleStatement("sql", undefined, none)).toBe("SELECT * FROM information_schema.tables LIMIT 50");
    expect(exampleStatement("cypher", undefined, { input: "x", resolved: null })).toBe("MATCH (n) RETURN n LIMIT 25");
    expect(fillTenantPattern("t-{tenant_slug}/{tenant_id}/", { input: "abc", resolved: null })).toBe("t-abc/abc/");
    expect(fillTenantPattern("t-{tenant_slug}/", { input: tyrell.id, resolved: tyrell })).toBe("t-tyrell/");
    expect(tenantNote("redis", MOCK_PROFILE, none)).toBe("A tenant's keys start with tenant:{tenant_id}:.");
  });
});
