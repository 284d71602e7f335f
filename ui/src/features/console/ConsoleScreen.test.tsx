import { EditorView } from "@codemirror/view";
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { mockTenants } from "../../backend/mock";
import { renderWithBackend } from "../../test/render";
import { ConsoleScreen } from "./ConsoleScreen";
import { historyKey } from "./history";

const acme = mockTenants().find((t) => t.slug === "acme")!;

function editorView(): EditorView {
  const el = screen.getByTestId("console-editor").querySelector<HTMLElement>(".cm-editor")!;
  return EditorView.findFromDOM(el)!;
}

/** Replaces the document the way typing does: through an editor transaction. */
function typeStatement(text: string) {
  const view = editorView();
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

const placeholder = () => screen.getByTestId("console-editor").querySelector(".cm-placeholder")?.textContent;

describe("ConsoleScreen", () => {
  it("runs what the editor holds, with the Run button, and shows rows, scope and time", async () => {
    const { backend, user } = renderWithBackend(<ConsoleScreen connection="alpha" />);
    expect(screen.getByTestId("console-input")).toHaveAttribute("contenteditable", "true");
    typeStatement("SELECT * FROM atoms LIMIT 5");
    await user.click(screen.getByTestId("console-run"));

    const meta = await screen.findByTestId("console-meta");
    expect(meta).toHaveTextContent("5 rows");
    expect(meta).toHaveTextContent("ran in database alpha");
    expect(meta).toHaveTextContent(/\d+ ms/);
    expect(backend.callsOf("runConsole")).toEqual([
      ["alpha", { language: "sql", text: "SELECT * FROM atoms LIMIT 5", tenant: null, maxRows: 500 }],
    ]);
    const grid = screen.getByTestId("console-results");
    expect(within(grid).getAllByTestId("console-results-row")).toHaveLength(5);
    expect(within(grid).getAllByRole("columnheader").map((h) => h.textContent)).toEqual([
      "",
      "id",
      "tenant_id",
      "atom_type",
      "title",
      "content",
      "version",
      "created_at",
      "updated_at",
      "deleted_at",
    ]);
    expect(screen.queryByTestId("console-more")).not.toBeInTheDocument();
  });

  it("runs on Ctrl+Enter in the editor", async () => {
    const { backend, user } = renderWithBackend(<ConsoleScreen connection="alpha" />);
    typeStatement("select 1");
    screen.getByTestId("console-input").focus();
    await user.keyboard("{Control>}{Enter}{/Control}");
    await waitFor(() => expect(backend.callsOf("runConsole")).toHaveLength(1));
    expect(await screen.findByTestId("console-meta")).toHaveTextContent("1 row");
    expect(screen.getByTestId("console-results-cell-0-0")).toHaveTextContent("1");
  });

  it("sends the tenant and the row limit, and says when more rows exist", async () => {
    const { backend, user } = renderWithBackend(<ConsoleScreen connection="alpha" />);
    await user.type(screen.getByTestId("console-tenant"), "tyrell");
    await waitFor(() => expect(screen.getByTestId("console-tenant-status")).toHaveAttribute("data-state", "resolved"));
    expect(screen.getByTestId("console-tenant-status")).toHaveTextContent("tyrell · schema tier");
    await user.selectOptions(screen.getByTestId("console-max-rows"), "100");
    typeStatement("select id from atoms");
    await user.click(screen.getByTestId("console-run"));

    expect(await screen.findByTestId("console-more")).toHaveTextContent("only the first 100 are shown");
    expect(screen.getByTestId("console-meta")).toHaveTextContent("ran in schema tenant_tyrell of alpha");
    expect(backend.callsOf("runConsole").at(-1)).toEqual([
      "alpha",
      { language: "sql", text: "select id from atoms", tenant: "tyrell", maxRows: 100 },
    ]);
  });

  it("explains a refused write by its code", async () => {
    const { user } = renderWithBackend(<ConsoleScreen connection="alpha" />);
    typeStatement("DELETE FROM atoms");
    await user.click(screen.getByTestId("console-run"));
    const error = await screen.findByTestId("console-error");
    expect(error).toHaveAttribute("data-code", "read_only");
    expect(error).toHaveTextContent("refused: the console is read-only");
    expect(error).toHaveTextContent("cannot execute DELETE in a read-only transaction");

    typeStatement("selec 1");
    await user.click(screen.getByTestId("console-run"));
    await waitFor(() => expect(screen.getByTestId("console-error")).toHaveAttribute("data-code", "query"));
    expect(screen.getByTestId("console-error")).toHaveTextContent("Query failed");
  });

  it("offers examples built from the profile and the chosen tenant", async () => {
    const { user } = renderWithBackend(<ConsoleScreen connection="alpha" />);
    await waitFor(() => expect(placeholder()).toBe("SELECT * FROM atoms LIMIT 50"));
    expect(screen.getByTestId("console-note")).toHaveTextContent("The console is read-only");
    expect(screen.getByTestId("console-note")).toHaveTextContent("current_setting('storelens.tenant_id')");

    await user.click(screen.getByTestId("console-language-cypher"));
    expect(screen.getByTestId("console-language-cypher")).toHaveAttribute("aria-selected", "true");
    expect(placeholder()).toBe("MATCH (n:Atom) RETURN n LIMIT 25");
    expect(screen.getByTestId("console-note")).toHaveTextContent("$tenant holds its id");

    await user.type(screen.getByTestId("console-tenant"), "acme");
    await waitFor(() => expect(placeholder()).toBe("MATCH (n:Atom) WHERE n.tenantId = $tenant RETURN n LIMIT 25"));

    await user.click(screen.getByTestId("console-language-redis"));
    await waitFor(() => expect(placeholder()).toBe(`SCAN 0 MATCH tenant:${acme.id}:* COUNT 100`));

    await user.click(screen.getByTestId("console-language-sql"));
    await waitFor(() =>
      expect(placeholder()).toBe("SELECT * FROM atoms WHERE tenant_id::text = current_setting('storelens.tenant_id') LIMIT 50"),
    );
    await user.click(screen.getByTestId("console-example"));
    expect(editorView().state.doc.toString()).toBe(
      "SELECT * FROM atoms WHERE tenant_id::text = current_setting('storelens.tenant_id') LIMIT 50",
    );
  });

  it("answers Cypher nodes as compact JSON, pretty in the cell inspector", async () => {
    const { user } = renderWithBackend(<ConsoleScreen connection="alpha" initialTenant="acme" />);
    expect(screen.getByTestId("console-tenant")).toHaveValue("acme");
    await user.click(screen.getByTestId("console-language-cypher"));
    typeStatement("MATCH (n:Atom) WHERE n.tenantId = $tenant RETURN n LIMIT 3");
    await user.click(screen.getByTestId("console-run"));
    await screen.findByTestId("console-meta");
    const cell = screen.getByTestId("console-results-cell-0-0");
    expect(cell.textContent).toMatch(/^\{"labels":\["Atom"\],"properties":\{"id":"/);
    await user.click(cell);
    const inspector = screen.getByTestId("cell-inspector");
    expect(within(inspector).getByTestId("cell-inspector-value").textContent).toContain('{\n  "labels": [\n    "Atom"\n  ]');
    expect(screen.getByTestId("console-meta")).toHaveTextContent(`graph, $tenant = "${acme.id}"`);
  });

  it("keeps a history per language: newest first, no repeats, at most 50, click to load", async () => {
    window.localStorage.setItem(historyKey("redis"), JSON.stringify(["PING"]));
    const { user } = renderWithBackend(<ConsoleScreen connection="alpha" />);
    for (const text of ["select 1", "select 2", "select 1"]) {
      typeStatement(text);
      await user.click(screen.getByTestId("console-run"));
      await waitFor(() => expect(screen.getByTestId("console-run")).toBeEnabled());
    }
    const items = () => within(screen.getByTestId("console-history")).getAllByTestId("console-history-item").map((i) => i.textContent);
    expect(items()).toEqual(["select 1", "select 2"]);
    expect(JSON.parse(window.localStorage.getItem(historyKey("sql"))!)).toEqual(["select 1", "select 2"]);

    await user.click(screen.getByTestId("console-language-redis"));
    expect(items()).toEqual(["PING"]);
    await user.click(within(screen.getByTestId("console-history")).getByText("PING"));
    expect(editorView().state.doc.toString()).toBe("PING");

    await user.click(screen.getByTestId("console-language-sql"));
    await user.click(within(screen.getByTestId("console-history")).getByText("select 2"));
    expect(editorView().state.doc.toString()).toBe("select 2");
  });

  it("asks for a connection and runs nothing without one", async () => {
    const { backend } = renderWithBackend(<ConsoleScreen connection={null} />);
    expect(screen.getByText("Choose a connection first.")).toBeInTheDocument();
    expect(screen.getByTestId("console-run")).toBeDisabled();
    expect(backend.callsOf("runConsole")).toHaveLength(0);
  });
});
