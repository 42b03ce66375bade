import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useSearchParams } from "react-router-dom";
import type { TList } from "../../../shared/schemas/common.js";
import { ErrorState, PageHeader, Spinner } from "../components/Feedback.js";
import { Pagination, type CursorStack } from "../components/Pagination.js";

type ListViewProps<T> = {
  /** The page of the list, from a `useQuery` with `placeholderData: keepPreviousData`. */
  query: UseQueryResult<TList<T>>;
  /** The cursor stack; leave out for a list that is never paged. */
  pages?: CursorStack;
  pageSize?: number;
  /** "people", "schools": for the pagination's "No …". */
  noun: string;
  loadingLabel: string;
  /** Shown when the page has no items (with or without filters; the caller knows which). */
  empty: ReactNode;
  /**
   * "12 people": shown above the list with a spinner while a new page loads. `atLeast`: the list
   * counted only up to a cap and `total` is a lower bound ("1,000+ people").
   */
  count?: (total: number, atLeast: boolean) => string;
  /** Rows shown, when not every item of the page is (default: all). */
  itemCount?: number;
  children: (list: TList<T>) => ReactNode;
};

/** A loaded list: error, first load, empty state, the rows (dimmed while the next page loads) and pagination. */
export function ListView<T>({ query, pages, pageSize, noun, loadingLabel, empty, count, itemCount, children }: ListViewProps<T>) {
  const list = query.data;
  return (
    <>
      {count ? (
        <div className="list-meta" aria-live="polite">
          {list ? <span>{count(list.total, list.totalIsCapped === true)}</span> : null}
          {query.isFetching && list ? <span className="spinner spinner--inline" aria-label="Updating" /> : null}
        </div>
      ) : null}
      {query.error && !query.isPlaceholderData ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : !list ? (
        <Spinner label={loadingLabel} />
      ) : list.items.length === 0 ? (
        empty
      ) : (
        <div className={query.isFetching ? "is-refreshing" : undefined}>
          {children(list)}
          {pages && pageSize ? (
            <Pagination pages={pages} list={list} pageSize={pageSize} isLoading={query.isFetching} itemCount={itemCount} noun={noun} />
          ) : null}
        </div>
      )}
    </>
  );
}

type ListPageProps<T> = ListViewProps<T> & {
  title: ReactNode;
  description?: ReactNode;
  /** Buttons beside the title ("Add person", "Download CSV"). */
  actions?: ReactNode;
  /** Section tabs under the title (Directory: People | Schools). */
  tabs?: ReactNode;
  /** Search and filter fields, in a search landmark. */
  filters?: ReactNode;
  filtersLabel?: string;
  /** Anything between the filters and the list (a notice, an alert). */
  beforeList?: ReactNode;
};

/** The one list page: title and actions, tabs, filters, then the list with its states and pagination. */
export function ListPage<T>({ title, description, actions, tabs, filters, filtersLabel, beforeList, ...view }: ListPageProps<T>) {
  return (
    <>
      <PageHeader title={title} description={description} actions={actions} />
      {tabs}
      {filters ? (
        <div className="filters" role="search" aria-label={filtersLabel}>
          {filters}
        </div>
      ) : null}
      {beforeList}
      <ListView {...view} />
    </>
  );
}

/**
 * List filters kept in the URL (so a filtered list can be shared and survives a reload).
 * Setting a filter to its default removes it from the URL.
 */
export function useUrlFilters() {
  const [searchParams, setSearchParams] = useSearchParams();
  const setFilter = (name: string, value: string, defaultValue = "") => {
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === defaultValue) next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: true },
    );
  };
  /** Several filters at once (a person's id and name): an empty value removes its parameter. */
  const setFilters = (values: Record<string, string>) => {
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [name, value] of Object.entries(values)) {
          if (value === "") next.delete(name);
          else next.set(name, value);
        }
        return next;
      },
      { replace: true },
    );
  };
  const clearFilters = () => setSearchParams({}, { replace: true });
  return { searchParams, setFilter, setFilters, clearFilters };
}
