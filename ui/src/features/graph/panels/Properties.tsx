import type { JsonValue } from "../../../backend";

/** Every property of a node or relationship: strings as they are, the rest as JSON. */
export function Properties({ properties }: { properties: JsonValue }) {
  const entries = properties !== null && typeof properties === "object" && !Array.isArray(properties) ? Object.entries(properties) : [];
  if (entries.length === 0) return <p className="muted graph-small">No properties.</p>;
  return (
    <table className="graph-props">
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name} data-testid="graph-inspector-property" data-name={name}>
            <th className="mono">{name}</th>
            <td className="mono">{typeof value === "string" ? value : JSON.stringify(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
