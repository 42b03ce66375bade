import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import type { TPunchList } from "../../../shared/schemas/helpdesk.js";

// The contractor's punch list as a page (their `cwp_` link, no account): a printable list by school
// and room with links to the CSV and the PDF, and a plain HTML form to tick items and mark them
// fixed (posted to `…/punch/<token>/fixed-form`, with a form token bound to the link; see
// docs/helpdesk.md, "Marking items fixed from the page"). Rendered on the server with every value
// escaped; it runs no script, so its own content security policy allows nothing but its inline
// styles and a form posted back to this server.

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** What the page's response must carry: no scripts, no frames, forms only back to this server, nothing loaded from elsewhere. */
export const PUNCH_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** What the last submission did, shown at the top of the page it redirected to. */
export type PunchNotice = { fixed: number; already: number; notOnList: number } | { empty: true };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function noticeHtml(n: PunchNotice | undefined): string {
  if (!n) return "";
  if ("empty" in n) return `<p class="notice notice--warn" role="status">Nothing was ticked, so nothing was marked fixed. Tick the items you fixed, then press “Mark ticked items fixed”.</p>`;
  const parts: string[] = [];
  if (n.fixed > 0) parts.push(`${plural(n.fixed, "item", "items")} marked fixed. The people who reported ${n.fixed === 1 ? "it have" : "them have"} been told. Thank you!`);
  if (n.already > 0) parts.push(`${plural(n.already, "item was", "items were")} already marked fixed, so nothing was done twice.`);
  if (n.notOnList > 0) parts.push(`${plural(n.notOnList, "item is", "items are")} not on your list and ${n.notOnList === 1 ? "was" : "were"} left alone.`);
  if (parts.length === 0) parts.push("Nothing was marked fixed.");
  return `<p class="notice${n.fixed > 0 ? "" : " notice--warn"}" role="status">${parts.map(esc).join(" ")}</p>`;
}

/** A page for a link that no longer works, or a form that could not be taken: what happened and what to do. */
export function punchMessagePage(title: string, message: string, back?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; color: #1a1a2e; margin: 0 auto; padding: 1.5rem 1rem 3rem; max-width: 40rem; }
  h1 { font-size: 1.5rem; margin: 0 0 .75rem; }
  a { color: #3730a3; font-weight: 600; }
</style>
</head>
<body>
<main>
<h1>${esc(title)}</h1>
<p>${esc(message)}</p>
${back ? `<p><a href="${esc(back)}">Back to your punch list</a></p>` : ""}
</main>
</body>
</html>`;
}

export function punchPage(
  list: TPunchList,
  opts: { csvHref: string; pdfHref: string; printedOn: string; title?: string; form?: { action: string; formToken: string; noteMax: number }; notice?: PunchNotice },
): string {
  // An emptied list keeps its department's name as its title.
  const name = list.groups.map((g) => g.departmentName).join(", ") || opts.title || "Punch list";
  const tick = (i: TPunchList["groups"][number]["schools"][number]["rooms"][number]["items"][number]) =>
    opts.form
      ? `<input type="checkbox" name="ticketId" value="${esc(i.ticketId)}" id="t-${esc(i.ticketId)}" aria-label="Fixed: ${esc(i.title)}"><span class="box print-only" aria-hidden="true"></span>`
      : `<span class="box" aria-hidden="true"></span>`;
  const body = list.groups.length === 0
    ? `<p class="empty">Nothing open on your list. Thank you!</p>`
    : list.groups
        .map(
          (g) => `<section><h2>${esc(g.departmentName)}</h2>${g.schools
            .map(
              (s) => `<h3>${esc(s.schoolName)}</h3><table><thead><tr><th scope="col">Room</th><th scope="col">Problem</th><th scope="col">Due</th><th scope="col" class="tick">Done</th></tr></thead><tbody>${s.rooms
                .flatMap((r) =>
                  r.items.map(
                    (i) => `<tr><td>${esc(r.location || "(no room)")}</td><td><strong>${esc(i.title)}</strong><br><span class="desc">${esc(i.description)}</span>${i.escalationNote ? `<br><span class="note"><strong>Note from the help desk:</strong> ${esc(i.escalationNote)}</span>` : ""}</td><td>${i.dueOn ? esc(i.dueOn) : "–"}${i.isOverdue ? ' <span class="late">overdue</span>' : ""}</td><td class="tick">${tick(i)}</td></tr>`,
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
  .note { display: inline-block; margin-top: .25rem; padding-left: .5rem; border-left: 3px solid #b7791f; white-space: pre-wrap; }
  .late { color: #a61b1b; font-weight: 700; }
  .tick { width: 3.5rem; text-align: center; }
  td:nth-child(3) { white-space: nowrap; }
  .box { display: inline-block; width: 1.1rem; height: 1.1rem; border: 2px solid #1a1a2e; border-radius: .2rem; }
  .empty { font-size: 1.1rem; }
  .tick input { width: 1.5rem; height: 1.5rem; margin: 0; accent-color: #3730a3; }
  .tick input:focus-visible { outline: 3px solid #4338ca; outline-offset: 2px; }
  .print-only { display: none; }
  .notice { border-left: 4px solid #15803d; background: #f0fdf4; padding: .6rem .9rem; margin: 0 0 1rem; }
  .notice--warn { border-left-color: #b45309; background: #fffbeb; }
  .submit { margin: 1.5rem 0 0; padding: 1rem; border: 1px solid #d4d4e0; border-radius: .4rem; display: grid; gap: .5rem; }
  .submit label { font-weight: 600; }
  .submit textarea { font: inherit; width: 100%; box-sizing: border-box; min-height: 4.5rem; padding: .4rem; border: 1px solid #8a8aa3; border-radius: .3rem; }
  .submit button { justify-self: start; font: inherit; font-weight: 700; padding: .6rem 1.1rem; border: 0; border-radius: .4rem; background: #3730a3; color: #fff; cursor: pointer; }
  .submit button:focus-visible, .submit textarea:focus-visible { outline: 3px solid #4338ca; outline-offset: 2px; }
  .hint { color: #4a4a68; font-size: .9rem; margin: 0; }
  @media (max-width: 40rem) {
    thead { display: none; }
    tr { display: grid; grid-template-columns: 1fr auto; border-bottom: 1px solid #d4d4e0; padding: .5rem 0; }
    td { border: 0; padding: .15rem 0; }
    td:nth-child(2) { grid-column: 1 / -1; }
    .tick { text-align: right; }
  }
  @media print { .actions, .submit, .notice, .tick input { display: none; } .print-only { display: inline-block; } body { padding: 0; max-width: none; } a { color: inherit; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
</style>
</head>
<body>
<main>
<h1>${esc(name)}</h1>
<p class="meta">Punch list · ${list.total} open item${list.total === 1 ? "" : "s"} · ${esc(opts.printedOn)}</p>
<p class="actions"><a href="${esc(opts.pdfHref)}">Printable PDF</a><a href="${esc(opts.csvHref)}">CSV</a></p>
${noticeHtml(opts.notice)}${
  opts.form && list.groups.length > 0
    ? `<form method="post" action="${esc(opts.form.action)}">
<input type="hidden" name="formToken" value="${esc(opts.form.formToken)}">
${body}
<div class="submit">
<label for="note">Note for the people who reported these (optional)</label>
<textarea id="note" name="note" maxlength="${opts.form.noteMax}" placeholder="What you did, e.g. replaced the outlet"></textarea>
<p class="hint">Each person who reported a ticked item is told it was fixed, with your note.</p>
<button type="submit">Mark ticked items fixed</button>
</div>
</form>`
    : body
}
</main>
</body>
</html>`;
}

// ---- The page's form token ----
// A token per rendering, bound to the link (the SHA-256 of its `cwp_` token, which is what the
// database keeps) and to when the page was rendered, signed with a key derived from COACHWORK_SECRET:
// `<issued, base36 seconds>.<HMAC-SHA256, base64url>`. It proves the post comes from a page this
// server rendered for this link, lately; it is not a second secret (whoever holds the link can
// render the page). Why the form needs little more than this: docs/helpdesk.md.

/** How long a rendered page's form is taken: a working day and then some. */
export const PUNCH_FORM_MAX_AGE_SECONDS = 12 * 60 * 60;

const formKeys = new Map<string, Buffer>();
function formKey(appSecret: string): Buffer {
  let key = formKeys.get(appSecret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", appSecret, "coachwork.helpdesk.punch-form", "punch page form token v1", 32));
    formKeys.set(appSecret, key);
  }
  return key;
}
const mac = (appSecret: string, linkHash: string, issued: string) => createHmac("sha256", formKey(appSecret)).update(`${linkHash}.${issued}`).digest("base64url");

export function punchFormToken(appSecret: string, linkHash: string, nowMs = Date.now()): string {
  const issued = Math.floor(nowMs / 1000).toString(36);
  return `${issued}.${mac(appSecret, linkHash, issued)}`;
}

/** "ok", or why the form token is not taken: made for another link or tampered with ("invalid"), or too old ("expired"). */
export function checkPunchFormToken(appSecret: string, linkHash: string, token: string, nowMs = Date.now()): "ok" | "invalid" | "expired" {
  const [issued, sig, extra] = token.split(".");
  if (!issued || !sig || extra !== undefined || !/^[0-9a-z]{1,10}$/.test(issued)) return "invalid";
  const want = Buffer.from(mac(appSecret, linkHash, issued));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return "invalid";
  const age = nowMs / 1000 - parseInt(issued, 36);
  if (age < -300 || age > PUNCH_FORM_MAX_AGE_SECONDS) return "expired";
  return "ok";
}
