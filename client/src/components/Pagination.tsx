import { useState } from "react";
import { Icon } from "./Icon.js";

/**
 * Cursor pagination with a stack of the cursors already visited, so "Previous" works
 * even though the API only hands out the next cursor. The stack resets when the filters change.
 */
export function useCursorStack(filterKey: string) {
  const [state, setState] = useState<{ key: string; stack: (string | undefined)[] }>({
    key: filterKey,
    stack: [undefined],
  });
  let stack = state.stack;
  if (state.key !== filterKey) {
    // New filters start again from the first page (derived-state reset during render).
    stack = [undefined];
    setState({ key: filterKey, stack });
  }
  return {
    cursor: stack[stack.length - 1],
    page: stack.length,
    goNext: (nextCursor: string) => setState({ key: filterKey, stack: [...stack, nextCursor] }),
    goPrevious: () => setState({ key: filterKey, stack: stack.length > 1 ? stack.slice(0, -1) : stack }),
  };
}

export type CursorStack = ReturnType<typeof useCursorStack>;

/** "1–50 of 1,234" with Previous/Next, for a cursor list paged with useCursorStack. */
/** " of 1,234"; for a total counted only up to a cap " of 1,000+", and nothing once past the cap. */
function ofTotal(total: number, atLeast: boolean, last: number): string {
  if (!atLeast) return ` of ${total.toLocaleString()}`;
  return last < total ? ` of ${total.toLocaleString()}+` : "";
}

export function Pagination({
  pages,
  list,
  pageSize,
  isLoading,
  itemCount = list.items.length,
  noun = "results",
}: {
  pages: CursorStack;
  list: { items: readonly unknown[]; total: number; nextCursor: string | null; totalIsCapped?: boolean };
  pageSize: number;
  isLoading: boolean;
  /** Rows shown, when not every item of the page is (default: the page's items). */
  itemCount?: number;
  noun?: string;
}) {
  const { page, goNext: onNext, goPrevious: onPrevious } = pages;
  const { total, nextCursor, totalIsCapped } = list;
  if (page === 1 && !nextCursor) return null;
  const first = (page - 1) * pageSize + 1;
  const last = (page - 1) * pageSize + itemCount;
  return (
    <nav className="pagination" aria-label="Pagination">
      <p className="pagination__summary">
        {itemCount === 0 ? `No ${noun}` : `${first.toLocaleString()}–${last.toLocaleString()}${ofTotal(total, totalIsCapped === true, last)}`}
      </p>
      <div className="pagination__buttons">
        <button type="button" className="button" disabled={page <= 1 || isLoading} onClick={onPrevious}>
          <Icon name="chevronLeft" size={16} />
          Previous
        </button>
        <button
          type="button"
          className="button"
          disabled={!nextCursor || isLoading}
          onClick={() => {
            if (nextCursor) onNext(nextCursor);
          }}
        >
          Next
          <Icon name="chevronRight" size={16} />
        </button>
      </div>
    </nav>
  );
}
