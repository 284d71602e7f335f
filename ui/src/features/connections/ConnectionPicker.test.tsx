import { screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { createMockBackend } from "../../backend/mock";
import { renderWithBackend } from "../../test/render";
import { ConnectionPicker } from "./ConnectionPicker";

describe("ConnectionPicker", () => {
  it("lists the saved connections and reports a choice", async () => {
    const onChange = vi.fn();
    const { user } = renderWithBackend(<ConnectionPicker value="alpha" onChange={onChange} onManage={() => {}} />);

    const picker = screen.getByTestId("connection-picker");
    await within(picker).findByRole("option", { name: "beta" });
    expect(within(picker).getAllByRole("option").map((o) => o.textContent)).toEqual(["alpha", "beta"]);
    expect(picker).toHaveValue("alpha");
    expect(screen.getByTestId("active-mode")).toHaveTextContent("read-only");

    await user.selectOptions(picker, "beta");
    expect(onChange).toHaveBeenCalledWith("beta");
  });

  it("flags a connection with writes enabled", async () => {
    renderWithBackend(<ConnectionPicker value="beta" onChange={() => {}} onManage={() => {}} />);
    expect(await screen.findByTestId("active-mode")).toHaveTextContent("writes enabled");
  });

  it("offers to add one when there are none", async () => {
    const onManage = vi.fn();
    const { user } = renderWithBackend(<ConnectionPicker value={null} onChange={() => {}} onManage={onManage} />, {
      mock: { connections: [] },
    });
    await user.click(await screen.findByRole("button", { name: "Add a connection" }));
    expect(onManage).toHaveBeenCalled();
    expect(screen.getByTestId("connection-picker")).toBeDisabled();
  });

  it("says why the list could not be loaded, by code", async () => {
    const backend = createMockBackend();
    backend.failNext("listConnections", { code: "config", message: "connections.toml line 3: expected '='" });
    renderWithBackend(<ConnectionPicker value={null} onChange={() => {}} onManage={() => {}} />, { backend });
    const error = await screen.findByTestId("connections-error");
    expect(error).toHaveTextContent("Configuration error");
    expect(error).toHaveAttribute("title", "Configuration error: connections.toml line 3: expected '='");
  });
});
