import { CopyButton } from "./CopyButton";
import { CUT_NOTE, prettyJson } from "./cells";
import { Icon } from "./Icon";

/** One cell in full: JSON pretty-printed, NULL as null, a cut cell said to be cut, and a copy button. */
export function CellInspector({
  column,
  typeName,
  row,
  value,
  json,
  cut,
  onClose,
}: {
  column: string;
  typeName?: string;
  /** 0-based row index (shown 1-based). */
  row: number;
  value: string | null;
  json: boolean;
  cut: boolean;
  onClose: () => void;
}) {
  const text = value === null ? null : json ? prettyJson(value) : value;
  return (
    <section className="cell-inspector" data-testid="cell-inspector" aria-label={`Cell ${column} of row ${row + 1}`}>
      <header className="cell-inspector-head">
        <strong className="mono">{column}</strong>
        {typeName && <span className="tag">{typeName}</span>}
        <span className="muted">row {row + 1}</span>
        <span className="spacer" />
        {text !== null && <CopyButton value={text} label={`Copy the value of ${column}`} testId="cell-inspector-copy" />}
        <button type="button" className="icon-button" aria-label="Close the cell" title="Close" onClick={onClose}>
          <Icon name="close" size={13} />
        </button>
      </header>
      {text === null ? (
        <p className="cell-null inspector-null">null</p>
      ) : (
        <pre className="inspector-value mono" data-testid="cell-inspector-value">
          {text}
        </pre>
      )}
      {cut && (
        <p className="cell-cut-note" data-testid="cell-inspector-cut">
          {CUT_NOTE}
        </p>
      )}
    </section>
  );
}
