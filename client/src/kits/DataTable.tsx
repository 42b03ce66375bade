import { useLayoutEffect, useRef, useState, type ReactNode } from "react";
import { nextSort, sortRows, type SortState, type SortValue } from "./sort.js";

export type Column<T> = {
  id: string;
  /** The column heading, and the label beside the value when rows become cards on a phone. */
  header: string;
  cell: (row: T) => ReactNode;
  /** Makes the column sortable (within the rows shown) by this value. */
  sortValue?: (row: T) => SortValue;
  /** `cell-number`, `cell-muted`, `cell-mono`… for both the heading and the cells. */
  className?: string;
  /** The card's title on a phone: shown first, in bold, without a label. */
  isPrimary?: boolean;
  /** Left out of the card on a phone when this is true for the row (an empty "—" says nothing there). */
  isEmpty?: (row: T) => boolean;
  /** The row's heading (`<th scope="row">`: a week, a school) that names each value beside it; the card's title on a phone. */
  isRowHeader?: boolean;
};

type DataTableProps<T> = {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  /** Names the table for screen readers (and tests); not shown unless `isCaptionShown`. */
  caption: string;
  isCaptionShown?: boolean;
  /** Shown instead of the table when there are no rows. */
  empty?: ReactNode;
  isDense?: boolean;
  defaultSort?: SortState;
  className?: string;
  rowClassName?: (row: T) => string | undefined;
  /** A totals row after the rows (`<tfoot>`), drawn by the same cells and never sorted. */
  footer?: T;
};

/**
 * The one table: column headings (sortable where a column says how), row headings, a totals row,
 * an empty state, and on a phone (≤ 600 px) each row becomes a card that labels its values with the
 * column headings.
 */
export function DataTable<T>({
  rows,
  columns,
  rowKey,
  caption,
  isCaptionShown,
  empty,
  isDense,
  defaultSort,
  className,
  rowClassName,
  footer,
}: DataTableProps<T>) {
  const [sort, setSort] = useState<SortState | null>(defaultSort ?? null);
  const { ref: wrapRef, isScrollable } = useIsScrollable<HTMLDivElement>();
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  const sortColumn = sort ? columns.find((c) => c.id === sort.columnId) : undefined;
  const shown = sort && sortColumn?.sortValue ? sortRows(rows, sortColumn.sortValue, sort.direction) : rows;
  const tableClass = ["table", "data-table", isDense ? "table--dense" : null].filter(Boolean).join(" ");
  return (
    <div
      ref={wrapRef}
      className={`table-wrap data-table-wrap${className ? ` ${className}` : ""}`}
      // A table wider than its box scrolls sideways: the box then takes focus, so the arrow keys scroll it (WCAG 2.1.1).
      {...(isScrollable ? { tabIndex: 0, role: "region", "aria-label": `${caption} (scrolls sideways)` } : {})}
    >
      {/* Explicit roles keep the table a table for assistive technology when a phone shows it as cards. */}
      <table className={tableClass} role="table">
        <caption className={isCaptionShown ? "data-table__caption" : "visually-hidden"}>{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            {columns.map((column) => {
              const direction = sort?.columnId === column.id ? sort.direction : null;
              return (
                <th
                  key={column.id}
                  scope="col"
                  role="columnheader"
                  className={column.className}
                  aria-sort={direction === "asc" ? "ascending" : direction === "desc" ? "descending" : undefined}
                >
                  {column.sortValue ? (
                    <button type="button" className="data-table__sort" onClick={() => setSort((current) => nextSort(current, column.id))}>
                      {column.header}
                      <span className="data-table__sort-mark" aria-hidden="true">
                        {direction === "asc" ? "▲" : direction === "desc" ? "▼" : "↕"}
                      </span>
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {shown.map((row) => (
            <DataRow key={rowKey(row)} row={row} columns={columns} className={rowClassName?.(row)} />
          ))}
        </tbody>
        {footer !== undefined ? (
          <tfoot role="rowgroup">
            <DataRow row={footer} columns={columns} className="data-table__footer" />
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}

/** Whether the element's content is wider than the element, kept up to date as either changes size. */
function useIsScrollable<E extends HTMLElement>() {
  const ref = useRef<E>(null);
  const [isScrollable, setIsScrollable] = useState(false);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setIsScrollable(element.scrollWidth > element.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    const table = element.firstElementChild;
    if (table) observer.observe(table);
    return () => observer.disconnect();
  });
  return { ref, isScrollable };
}

function DataRow<T>({ row, columns, className }: { row: T; columns: readonly Column<T>[]; className?: string }) {
  return (
    <tr role="row" className={className}>
      {columns.map((column) => {
        const classes = [
          column.className,
          column.isPrimary || column.isRowHeader ? "data-table__primary" : null,
          column.isEmpty?.(row) ? "is-empty" : null,
        ];
        const cellClass = classes.filter(Boolean).join(" ") || undefined;
        return column.isRowHeader ? (
          <th key={column.id} scope="row" role="rowheader" data-label={column.header} className={cellClass}>
            {column.cell(row)}
          </th>
        ) : (
          <td key={column.id} role="cell" data-label={column.header} className={cellClass}>
            {column.cell(row)}
          </td>
        );
      })}
    </tr>
  );
}
