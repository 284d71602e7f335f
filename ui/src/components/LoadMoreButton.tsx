/** The pages of an infinite query that has one. */
export interface MorePages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** "Load more" under a paged list; shown only while there is a next page. */
export function LoadMoreButton({ pages, testId }: { pages: MorePages; testId: string }) {
  if (!pages.hasNextPage) return null;
  return (
    <button
      type="button"
      className="button small"
      data-testid={testId}
      disabled={pages.isFetchingNextPage}
      onClick={() => void pages.fetchNextPage()}
    >
      {pages.isFetchingNextPage ? "Loading…" : "Load more"}
    </button>
  );
}
