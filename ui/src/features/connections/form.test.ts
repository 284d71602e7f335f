import { describe, expect, it } from "vitest";
import { draft } from "../../test/render";
import { draftFromForm, emptyForm, emptySecrets, formFromDraft, parseUrlList, secretsInput } from "./form";

describe("connection form", () => {
  it("round-trips a draft", () => {
    const d = draft("alpha", { objects: null, graph: { url: "bolt://g:7687", user: "u", database: "neo4j" } });
    expect(draftFromForm(formFromDraft(d))).toEqual(d);
  });

  it("maps empty optional fields to null and trims", () => {
    const form = emptyForm();
    form.name = "  x ";
    form.graph = { enabled: true, url: " bolt://g ", user: "neo4j", database: "  " };
    form.redis = { enabled: true, urls: "redis://a\n\n  redis://b  \r\n", cluster: true, username: "" };
    form.objects.enabled = false;
    const d = draftFromForm(form);
    expect(d.name).toBe("x");
    expect(d.graph).toEqual({ url: "bolt://g", user: "neo4j", database: null });
    expect(d.redis).toEqual({ urls: ["redis://a", "redis://b"], cluster: true, username: null });
    expect(d.objects).toBeNull();
    expect(d.readOnly).toBe(true);
  });

  it("builds secrets: empty = keep (null), remove = \"\", typed = value", () => {
    const s = emptySecrets();
    s.postgres.value = "p";
    s.graph.remove = true;
    s.redis.value = "";
    expect(secretsInput(s)).toEqual({ postgres: "p", graph: "", redis: null, objects: null });
  });

  it("parses URL lists", () => {
    expect(parseUrlList("")).toEqual([]);
    expect(parseUrlList(" a \n b")).toEqual(["a", "b"]);
  });
});
