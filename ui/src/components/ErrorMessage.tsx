import { describeError } from "../lib/errors";
import { Icon } from "./Icon";

/** A backend error, worded by its code. */
export function ErrorMessage({ error, testId }: { error: unknown; testId?: string }) {
  const { code, text } = describeError(error);
  return (
    <div className="error-message" role="alert" data-testid={testId} data-code={code}>
      <Icon name="alert" />
      <span>{text}</span>
    </div>
  );
}
