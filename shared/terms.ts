// The district's terms, as the coaching log counts them. Pure date arithmetic on YYYY-MM-DD strings
// (UTC), used by the server (which stores each entry's term) and the client (labels).
//
// A district may define its terms (Settings → District, or copied from the roster's academic
// sessions). Without any, the old fixed rule applies: Fall is July–December, Spring January–June.
// With some, terms tile the calendar forward from the first one's start: a day between two terms
// (a break) counts in the term that just ended, a day after the last term in the last term (until
// the next one is defined); a day before the first defined term falls back to the fixed rule.
// A term's key is its first counted day, so keys sort in time order and are unique per district.

export type TermDefinition = { name: string; schoolYear: string; startDate: string; endDate: string };

/** A term as reports use it: `startDate`…`endDate` are the days counted in it (breaks included). */
export type Term = {
  key: string;
  name: string;
  schoolYear: string;
  startDate: string;
  /** The last day counted in it: the day before the next term, far in the future for the last one. */
  endDate: string;
  /** The end the term was given (the fixed rule's: its last day). */
  nominalEndDate: string;
  isDefined: boolean;
};

const DAY_MS = 86_400_000;
const FAR_FUTURE = "9999-12-31";

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The school year (July–June) a date falls in: "2026-27". */
export function schoolYearLabel(date: string): string {
  const year = Number(date.slice(0, 4));
  const start = Number(date.slice(5, 7)) >= 7 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
}

/** The fixed rule's term for a date: Fall (July–December) or Spring (January–June). */
function fixedTerm(date: string): Term {
  const year = date.slice(0, 4);
  const isFall = Number(date.slice(5, 7)) >= 7;
  const startDate = isFall ? `${year}-07-01` : `${year}-01-01`;
  const endDate = isFall ? `${year}-12-31` : `${year}-06-30`;
  return { key: startDate, name: `${isFall ? "Fall" : "Spring"} ${year}`, schoolYear: schoolYearLabel(date), startDate, endDate, nominalEndDate: endDate, isDefined: false };
}

export type TermCalendar = {
  /** The defined terms, by start date (empty: the fixed rule). */
  readonly defined: readonly TermDefinition[];
  /** The term a date counts in. */
  termOf(date: string): Term;
  /** Every term that [from, to] touches, in order. */
  termsBetween(from: string, to: string): Term[];
  /** The first day of the school year of the term `date` counts in. */
  schoolYearStart(date: string): string;
};

/** The calendar of a district's terms (none defined: the fixed July–December / January–June rule). */
export function termCalendar(definitions: readonly TermDefinition[]): TermCalendar {
  const defined = [...definitions].sort((a, b) => (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : 0));
  const first = defined[0];
  const tiled: Term[] = defined.map((d, i) => {
    const next = defined[i + 1];
    const endDate = next ? addDays(next.startDate, -1) : FAR_FUTURE;
    return { key: d.startDate, name: d.name, schoolYear: d.schoolYear, startDate: d.startDate, endDate, nominalEndDate: d.endDate, isDefined: true };
  });

  function termOf(date: string): Term {
    if (!first || date < first.startDate) {
      const t = fixedTerm(date);
      // Clipped so the fallback term before the first defined one does not overlap it.
      if (!first || t.endDate < first.startDate) return t;
      const clipped = addDays(first.startDate, -1);
      return { ...t, endDate: clipped, nominalEndDate: clipped };
    }
    let lo = 0;
    let hi = tiled.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      const t = tiled[mid];
      if (t && t.startDate <= date) lo = mid;
      else hi = mid - 1;
    }
    const term = tiled[lo];
    if (!term) throw new Error("unreachable: a defined term starts on or before the date");
    return term;
  }

  function termsBetween(from: string, to: string): Term[] {
    const terms: Term[] = [];
    for (let t = termOf(from); t.startDate <= to; ) {
      terms.push(t);
      if (t.endDate >= to || t.endDate === FAR_FUTURE) break;
      t = termOf(addDays(t.endDate, 1));
    }
    return terms;
  }

  function schoolYearStart(date: string): string {
    const term = termOf(date);
    if (!term.isDefined) return `${term.schoolYear.slice(0, 4)}-07-01`;
    const sameYear = defined.filter((d) => d.schoolYear === term.schoolYear);
    return sameYear[0]?.startDate ?? term.startDate;
  }

  return { defined, termOf, termsBetween, schoolYearStart };
}

/** Why a list of term definitions cannot be used, naming the item and field, or null. */
export function termDefinitionsProblem(terms: readonly TermDefinition[]): { index: number; field: keyof TermDefinition; message: string } | null {
  for (const [index, t] of terms.entries()) {
    if (t.endDate < t.startDate) return { index, field: "endDate", message: "is before the term's start" };
  }
  const order = [...terms.entries()].sort((a, b) => (a[1].startDate < b[1].startDate ? -1 : 1));
  for (let i = 1; i < order.length; i++) {
    const prev = order[i - 1];
    const cur = order[i];
    if (prev && cur && cur[1].startDate <= prev[1].endDate) {
      return { index: cur[0], field: "startDate", message: `overlaps "${prev[1].name}" (${prev[1].startDate} to ${prev[1].endDate})` };
    }
  }
  return null;
}
