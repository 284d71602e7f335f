import { PlaceholderScreen } from "../../components/Screen";

export function CacheScreen({ connection }: { connection: string | null }) {
  return (
    <PlaceholderScreen
      testId="screen-cache"
      icon="cache"
      title="Cache"
      description="Browse a tenant's Redis keyspace as a namespace tree, with TTLs, and find stale or TTL-less entries."
      connection={connection}
    />
  );
}
