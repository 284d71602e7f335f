import { Icon } from "../../../components/Icon";
import { graphError } from "../errors";
import type { Failure } from "../useGraphExplorer";

/** The last failure: a backend error worded by its code, or a form the screen refused to send. */
export function GraphError({ failure }: { failure: Failure }) {
  const { error } = failure;
  if ("invalid" in error) {
    return (
      <div className="error-message graph-error" role="alert" data-testid="graph-error" data-code="form">
        <Icon name="alert" />
        <span>{error.invalid}</span>
      </div>
    );
  }
  const f = graphError(error);
  return (
    <div className="error-message graph-error" role="alert" data-testid="graph-error" data-code={f.code}>
      <Icon name="alert" />
      <div className="banner-text">
        <strong>
          {f.title} <code className="error-code">{f.code}</code>
        </strong>
        {f.detail && <span className="banner-detail">{f.detail}</span>}
      </div>
    </div>
  );
}
