import { PlaceholderScreen } from "../../components/Screen";

export function GraphScreen({ connection }: { connection: string | null }) {
  return (
    <PlaceholderScreen
      testId="screen-graph"
      icon="graph"
      title="Graph"
      description="Explore a tenant's entities and relationships in the graph projection, and audit it against PostgreSQL."
      connection={connection}
    />
  );
}
