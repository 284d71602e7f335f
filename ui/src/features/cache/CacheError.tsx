import { Icon } from "../../components/Icon";
import { cacheError } from "./errors";

/** A failed cache command, worded by its code, the backend's message below. */
export function CacheError({ error, testId, onRetry }: { error: unknown; testId: string; onRetry?: () => void }) {
  const failure = cacheError(error);
  return (
    <div className="error-message cache-error" role="alert" data-testid={testId} data-code={failure.code}>
      <Icon name="alert" />
      <div className="banner-text">
        <strong>
          {failure.title} <code className="error-code">{failure.code}</code>
        </strong>
        {failure.detail && <span className="banner-detail">{failure.detail}</span>}
      </div>
      {onRetry && (
        <button type="button" className="button small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
