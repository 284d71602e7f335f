import { PlaceholderScreen } from "../../components/Screen";

export function TenantsScreen({ connection }: { connection: string | null }) {
  return (
    <PlaceholderScreen
      testId="screen-tenants"
      icon="tenants"
      title="Tenants"
      description="Every tenant of the platform with its isolation tier (row, schema or database), data footprint per store and an isolation audit."
      connection={connection}
    />
  );
}
