import { useId, useState, type FormEvent } from "react";
import type { ColumnFilter, FilterOp, RowColumn } from "../../backend";
import { Icon } from "../../components/Icon";

export const FILTER_OPS: { op: FilterOp; label: string }[] = [
  { op: "equals", label: "=" },
  { op: "contains", label: "contains" },
  { op: "greater", label: ">" },
  { op: "less", label: "<" },
  { op: "is_null", label: "is null" },
  { op: "not_null", label: "is not null" },
];

const opLabel = (op: FilterOp) => FILTER_OPS.find((o) => o.op === op)?.label ?? op;
export const needsValue = (op: FilterOp) => op !== "is_null" && op !== "not_null";

/** `title contains "foo"`, for chips and labels. */
export function describeFilter(f: ColumnFilter): string {
  return needsValue(f.op) ? `${f.column} ${opLabel(f.op)} ${JSON.stringify(f.value ?? "")}` : `${f.column} ${opLabel(f.op)}`;
}

/** A filter bar: column, operator and value, added as removable chips. The backend checks the value's type. */
export function RowFilters({
  columns,
  filters,
  onChange,
}: {
  columns: RowColumn[];
  filters: ColumnFilter[];
  onChange: (filters: ColumnFilter[]) => void;
}) {
  const id = useId();
  const [column, setColumn] = useState("");
  const [op, setOp] = useState<FilterOp>("equals");
  const [value, setValue] = useState("");
  const chosen = columns.some((c) => c.name === column) ? column : (columns[0]?.name ?? "");
  const typeName = columns.find((c) => c.name === chosen)?.typeName;
  const canAdd = chosen !== "" && (!needsValue(op) || value !== "");

  function add(event: FormEvent) {
    event.preventDefault();
    if (!canAdd) return;
    onChange([...filters, { column: chosen, op, value: needsValue(op) ? value : null }]);
    setValue("");
  }

  return (
    <div className="row-filters">
      <form className="filter-bar" onSubmit={add} aria-label="Add a filter">
        <label className="visually-hidden" htmlFor={`${id}-column`}>
          Filter column
        </label>
        <select
          id={`${id}-column`}
          className="filter-column"
          data-testid="rows-filter-column"
          value={chosen}
          disabled={columns.length === 0}
          onChange={(e) => setColumn(e.target.value)}
        >
          {columns.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
        <label className="visually-hidden" htmlFor={`${id}-op`}>
          Filter operator
        </label>
        <select
          id={`${id}-op`}
          className="filter-op"
          data-testid="rows-filter-op"
          value={op}
          onChange={(e) => setOp(e.target.value as FilterOp)}
        >
          {FILTER_OPS.map((o) => (
            <option key={o.op} value={o.op}>
              {o.label}
            </option>
          ))}
        </select>
        <label className="visually-hidden" htmlFor={`${id}-value`}>
          Filter value
        </label>
        <input
          id={`${id}-value`}
          data-testid="rows-filter-value"
          className="mono filter-value"
          placeholder={needsValue(op) ? (typeName ? `a ${typeName} value` : "value") : "no value"}
          value={needsValue(op) ? value : ""}
          disabled={!needsValue(op)}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" className="button small" data-testid="rows-filter-add" disabled={!canAdd}>
          <Icon name="plus" size={13} />
          Filter
        </button>
      </form>
      {filters.length > 0 && (
        <ul className="filter-chips" data-testid="rows-filters" aria-label="Filters">
          {filters.map((f, i) => (
            <li key={`${i}:${describeFilter(f)}`} className="filter-chip" data-testid="rows-filter-chip">
              <span className="mono truncate" title={describeFilter(f)}>
                {describeFilter(f)}
              </span>
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove filter ${describeFilter(f)}`}
                data-testid={`rows-filter-remove-${i}`}
                onClick={() => onChange(filters.filter((_, k) => k !== i))}
              >
                <Icon name="close" size={11} />
              </button>
            </li>
          ))}
          {filters.length > 1 && (
            <li>
              <button type="button" className="link-button" onClick={() => onChange([])}>
                Clear all
              </button>
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
