import { PlaceholderScreen } from "../../components/Screen";

export function BackupsScreen({ connection }: { connection: string | null }) {
  return (
    <PlaceholderScreen
      testId="screen-backups"
      icon="backups"
      title="Backups"
      description="Export a single tenant's data across all four stores into a consistent snapshot, and verify it."
      connection={connection}
    />
  );
}
