import type { ReactNode } from "react";
import { Icon, type IconName } from "./Icon";

export function ScreenHeader({
  id,
  title,
  description,
  actions,
}: {
  id?: string;
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <header className="screen-header">
      <div>
        <h1 id={id}>{title}</h1>
        {description && <p className="screen-description">{description}</p>}
      </div>
      {actions && <div className="screen-actions">{actions}</div>}
    </header>
  );
}

/** A screen whose feature is not built yet: says what it will do. */
export function PlaceholderScreen({
  testId,
  icon,
  title,
  description,
  connection,
}: {
  testId: string;
  icon: IconName;
  title: string;
  description: string;
  connection: string | null;
}) {
  return (
    <section className="screen" data-testid={testId} aria-labelledby={`${testId}-title`}>
      <ScreenHeader id={`${testId}-title`} title={title} description={description} />
      <div className="placeholder">
        <Icon name={icon} size={28} />
        <p>Not built yet.</p>
        <p className="muted">
          {connection ? (
            <>
              Will run against <code>{connection}</code>.
            </>
          ) : (
            "Choose a connection first."
          )}
        </p>
      </div>
    </section>
  );
}
