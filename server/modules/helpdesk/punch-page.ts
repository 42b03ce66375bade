import type { TPunchList } from "../../../shared/schemas/helpdesk.js";

// The contractor's punch list as a page (their `cwp_` link, no account): a printable list by school
// and room with links to the CSV and the PDF. Rendered on the server with every value escaped; it
// runs no script, so its own content security policy allows nothing but its inline styles.

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** What the page's response must carry: no scripts, no frames, no forms, nothing loaded from elsewhere. */
export const PUNCH_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function punchPage(list: TPunchList, opts: { csvHref: string; pdfHref: string; printedOn: string }): string {
  const name = list.groups.map((g) => g.departmentName).join(", ") || "Punch list";
  const body = list.groups.length === 0
    ? `<p class="empty">Nothing open on your list. Thank you!</p>`
    : list.groups
        .map(
          (g) => `<section><h2>${esc(g.departmentName)}</h2>${g.schools
            .map(
              (s) => `<h3>${esc(s.schoolName)}</h3><table><thead><tr><th scope="col">Room</th><th scope="col">Problem</th><th scope="col">Due</th><th scope="col" class="tick">Done</th></tr></thead><tbody>${s.rooms
                .flatMap((r) =>
                  r.items.map(
                    (i) => `<tr><td>${esc(r.location || "(no room)")}</td><td><strong>${esc(i.title)}</strong><br><span class="desc">${esc(i.description)}</span></td><td>${i.dueOn ? esc(i.dueOn) : "–"}${i.isOverdue ? ' <span class="late">overdue</span>' : ""}</td><td class="tick"><span class="box" aria-hidden="true"></span></td></tr>`,
                  ),
                )
                .join("")}</tbody></table>`,
            )
            .join("")}</section>`,
        )
        .join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(name)} · punch list</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; color: #1a1a2e; margin: 0 auto; padding: 1.5rem 1rem 3rem; max-width: 60rem; }
  h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
  h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #1a1a2e; }
  h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
  .meta { color: #4a4a68; margin: 0 0 1rem; }
  .actions { display: flex; gap: .75rem; flex-wrap: wrap; margin: 0 0 1rem; }
  .actions a { display: inline-block; padding: .5rem .9rem; border: 1px solid #4338ca; border-radius: .4rem; color: #3730a3; font-weight: 600; text-decoration: none; }
  .actions a:focus-visible { outline: 3px solid #4338ca; outline-offset: 2px; }
  table { width: 100%; border-collapse: collapse; }
  th, td { text-align: left; vertical-align: top; padding: .5rem .4rem; border-bottom: 1px solid #d4d4e0; }
  th { font-size: .85rem; text-transform: uppercase; letter-spacing: .03em; color: #4a4a68; }
  .desc { color: #4a4a68; }
  .late { color: #a61b1b; font-weight: 700; }
  .tick { width: 3.5rem; text-align: center; }
  td:nth-child(3) { white-space: nowrap; }
  .box { display: inline-block; width: 1.1rem; height: 1.1rem; border: 2px solid #1a1a2e; border-radius: .2rem; }
  .empty { font-size: 1.1rem; }
  @media (max-width: 40rem) {
    thead { display: none; }
    tr { display: grid; grid-template-columns: 1fr auto; border-bottom: 1px solid #d4d4e0; padding: .5rem 0; }
    td { border: 0; padding: .15rem 0; }
    td:nth-child(2) { grid-column: 1 / -1; }
    .tick { text-align: right; }
  }
  @media print { .actions { display: none; } body { padding: 0; max-width: none; } a { color: inherit; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
</style>
</head>
<body>
<main>
<h1>${esc(name)}</h1>
<p class="meta">Punch list · ${list.total} open item${list.total === 1 ? "" : "s"} · ${esc(opts.printedOn)}</p>
<p class="actions"><a href="${esc(opts.pdfHref)}">Printable PDF</a><a href="${esc(opts.csvHref)}">CSV</a></p>
${body}
</main>
</body>
</html>`;
}
