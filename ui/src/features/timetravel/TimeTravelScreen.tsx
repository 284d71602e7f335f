import { PlaceholderScreen } from "../../components/Screen";

export function TimeTravelScreen({ connection }: { connection: string | null }) {
  return (
    <PlaceholderScreen
      testId="screen-timetravel"
      icon="timetravel"
      title="Time travel"
      description="Rebuild any entity as it was at a point in time by folding its event log, and diff it against the read model."
      connection={connection}
    />
  );
}
