import type { QueryLanguage } from "../../backend";

/** Past statements of the language, newest first; a click loads one into the editor. */
export function ConsoleHistory({
  language,
  items,
  onPick,
  onClear,
}: {
  language: QueryLanguage;
  items: string[];
  onPick: (text: string) => void;
  onClear: () => void;
}) {
  return (
    <aside className="console-history" aria-labelledby="console-history-title">
      <div className="console-history-head">
        <h2 id="console-history-title">History</h2>
        <span className="spacer" />
        {items.length > 0 && (
          <button type="button" className="link-button" data-testid="console-history-clear" onClick={onClear}>
            Clear
          </button>
        )}
      </div>
      {items.length === 0 ? (
        <p className="muted console-history-empty">Statements you run in {language.toUpperCase()} are kept here.</p>
      ) : (
        <ol className="console-history-list" data-testid="console-history" aria-label={`${language} history`}>
          {items.map((text) => (
            <li key={text}>
              <button
                type="button"
                className="console-history-item mono"
                data-testid="console-history-item"
                title={text}
                onClick={() => onPick(text)}
              >
                {text}
              </button>
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
