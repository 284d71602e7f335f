import { Icon } from "../../components/Icon";
import { cacheError, type CacheFailure } from "./errors";

/** A failed cache command, worded by its code (by `describe`), the backend's message below. */
export function CacheError({
  error,
  testId,
  onRetry,
  describe = cacheError,
}: {
  error: unknown;
  testId: string;
  onRetry?: () => void;
  describe?: (error: unknown) => CacheFailure;
}) {
  const failure = describe(error);
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
