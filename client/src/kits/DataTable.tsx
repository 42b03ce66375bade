import { useState, type ReactNode } from "react";
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
};

type DataTableProps<T> = {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  /** Names the table for screen readers (and tests); not shown. */
  caption: string;
  /** Shown instead of the table when there are no rows. */
  empty?: ReactNode;
  isDense?: boolean;
  defaultSort?: SortState;
  className?: string;
  rowClassName?: (row: T) => string | undefined;
};

/**
 * The one table: column headings (sortable where a column says how), an empty state, and on a
 * phone (≤ 600 px) each row becomes a card that labels its values with the column headings.
 */
export function DataTable<T>({ rows, columns, rowKey, caption, empty, isDense, defaultSort, className, rowClassName }: DataTableProps<T>) {
  const [sort, setSort] = useState<SortState | null>(defaultSort ?? null);
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  const sortColumn = sort ? columns.find((c) => c.id === sort.columnId) : undefined;
  const shown = sort && sortColumn?.sortValue ? sortRows(rows, sortColumn.sortValue, sort.direction) : rows;
  const tableClass = ["table", "data-table", isDense ? "table--dense" : null].filter(Boolean).join(" ");
  return (
    <div className={`table-wrap data-table-wrap${className ? ` ${className}` : ""}`}>
      {/* Explicit roles keep the table a table for assistive technology when a phone shows it as cards. */}
      <table className={tableClass} role="table">
        <caption className="visually-hidden">{caption}</caption>
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
            <tr key={rowKey(row)} role="row" className={rowClassName?.(row)}>
              {columns.map((column) => {
                const classes = [column.className, column.isPrimary ? "data-table__primary" : null, column.isEmpty?.(row) ? "is-empty" : null];
                const cellClass = classes.filter(Boolean).join(" ");
                return (
                  <td key={column.id} role="cell" data-label={column.header} className={cellClass || undefined}>
                    {column.cell(row)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
