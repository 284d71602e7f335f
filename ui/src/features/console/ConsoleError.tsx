import type { BackendError } from "../../backend";
import { Icon } from "../../components/Icon";
import { ERROR_TITLES } from "../../lib/errors";

/** A refused or failed statement, worded by its code. */
export function ConsoleError({ error }: { error: BackendError }) {
  const title = error.code === "read_only" ? "refused: the console is read-only" : ERROR_TITLES[error.code];
  return (
    <div className="error-message console-error" role="alert" data-testid="console-error" data-code={error.code}>
      <Icon name="alert" />
      <div className="banner-text">
        <strong>
          {title} <code className="error-code">{error.code}</code>
        </strong>
        {error.message && <span className="banner-detail">{error.message}</span>}
      </div>
    </div>
  );
}
