import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DataTable, type Column } from "./DataTable.js";

type Row = { id: string; name: string; minutes: number };
const columns: Column<Row>[] = [
  { id: "name", header: "School", isRowHeader: true, cell: (r) => r.name },
  { id: "minutes", header: "Minutes", className: "cell-number", cell: (r) => r.minutes },
];
const render = (props: Partial<Parameters<typeof DataTable<Row>>[0]> = {}) =>
  renderToStaticMarkup(
    createElement(DataTable<Row>, {
      caption: "Time by school",
      rows: [
        { id: "a", name: "Harbor", minutes: 30 },
        { id: "b", name: "Lakeside", minutes: 45 },
      ],
      columns,
      rowKey: (r) => r.id,
      ...props,
    }),
  );

describe("DataTable", () => {
  it("heads each row with a th scope=row that labels the card on a phone", () => {
    const html = render();
    expect(html).toContain('<th scope="row" role="rowheader" data-label="School" class="data-table__primary">Harbor</th>');
    expect(html).toContain('<td role="cell" data-label="Minutes" class="cell-number">45</td>');
    expect(html).toContain('<caption class="visually-hidden">Time by school</caption>');
  });

  it("draws a totals row in tfoot with the same cells", () => {
    const html = render({ footer: { id: "all", name: "All schools", minutes: 75 } });
    expect(html).toMatch(/<tfoot role="rowgroup"><tr role="row" class="data-table__footer"><th scope="row"[^>]*>All schools<\/th><td[^>]*>75<\/td><\/tr><\/tfoot>/);
  });

  it("shows the caption when asked", () => {
    expect(render({ isCaptionShown: true })).toContain('<caption class="data-table__caption">Time by school</caption>');
  });
});
