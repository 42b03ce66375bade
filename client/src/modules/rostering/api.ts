/** Rostering endpoints: imports (upload with progress) and their reports. */
import type { RosterEncoding } from "../../../../shared/roster-encodings.js";
import { queryOptions } from "@tanstack/react-query";
import type { TList } from "../../../../shared/schemas/common.js";
import type { TRosterImport, TRosterImportReport } from "../../../../shared/schemas/rostering.js";
import { API_BASE, ApiError, http } from "../../api/client.js";

type Signal = { signal?: AbortSignal };
type ImportsQuery = { limit?: number; cursor?: string };

export const rosteringApi = {
  listImports: (query: ImportsQuery, opts: Signal = {}) =>
    http.get<TList<TRosterImport>>("/rostering/imports", { ...opts, query }),
  getImport: (id: string, opts: Signal = {}) => http.get<TRosterImportReport>(`/rostering/imports/${encodeURIComponent(id)}`, opts),
  /** A plain link: the browser sends the session cookie, and the file downloads. */
  reportCsvUrl: (id: string) => `${API_BASE}/rostering/imports/${encodeURIComponent(id)}/report.csv`,
};

export const rosteringKeys = {
  all: ["rostering"] as const,
  importsAll: () => [...rosteringKeys.all, "imports"] as const,
  imports: (query: ImportsQuery) => [...rosteringKeys.importsAll(), query] as const,
  import: (id: string) => [...rosteringKeys.all, "import", id] as const,
};

export const rosteringQueries = {
  /** One import; refetched every `pollMs` while it runs. */
  import: (id: string, pollMs: number) =>
    queryOptions({
      queryKey: rosteringKeys.import(id),
      queryFn: ({ signal }) => rosteringApi.getImport(id, { signal }),
      refetchInterval: (query) => (query.state.data?.status === "running" ? pollMs : false),
    }),
  imports: (query: ImportsQuery) =>
    queryOptions({ queryKey: rosteringKeys.imports(query), queryFn: ({ signal }) => rosteringApi.listImports(query, { signal }) }),
};

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

export type UploadOptions = {
  file: File;
  kind: "oneroster" | "staff";
  isDryRun: boolean;
  applyValid: boolean;
  /** Go ahead when the import would deactivate more than 10% of the district's active people or enrolments. */
  allowMassDeactivation: boolean;
  /** The files' encoding when they are not UTF-8 (the report of a refused import names the likely one). */
  encoding: RosterEncoding;
  csrfToken: string;
  /** Share of the file sent so far, 0 to 1. */
  onProgress: (fraction: number) => void;
};

/**
 * Sends the file itself as the body (application/zip or text/csv), with XMLHttpRequest because
 * fetch cannot report upload progress. Resolves with the running import (202).
 */
export function uploadRoster(opts: UploadOptions): { done: Promise<TRosterImport>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const query = new URLSearchParams({
    kind: opts.kind,
    fileName: opts.file.name,
    ...(opts.isDryRun ? { dryRun: "true" } : {}),
    ...(opts.applyValid ? { applyValid: "true" } : {}),
    ...(opts.allowMassDeactivation ? { allowMassDeactivation: "true" } : {}),
    ...(opts.encoding !== "utf-8" ? { encoding: opts.encoding } : {}),
  });
  const done = new Promise<TRosterImport>((resolve, reject) => {
    xhr.open("POST", `${API_BASE}/rostering/imports?${query.toString()}`);
    xhr.setRequestHeader("Content-Type", opts.kind === "staff" ? "text/csv" : "application/zip");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRF-Token", opts.csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) opts.onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, code: "network_error", message: "The upload broke off. Check your connection and try again." }));
    xhr.onabort = () => reject(new DOMException("Upload cancelled", "AbortError"));
    xhr.onload = () => {
      const payload = parseJson(xhr.responseText);
      if (xhr.status === 202 || xhr.status === 200) {
        resolve(payload as TRosterImport);
        return;
      }
      const error = typeof payload === "object" && payload !== null && "error" in payload ? (payload as { error: { code: ApiError["code"]; message: string; details?: unknown } }).error : null;
      reject(
        new ApiError({
          status: xhr.status,
          code: error?.code ?? "bad_response",
          message: error?.message ?? `The server answered HTTP ${xhr.status}.`,
          details: error?.details,
        }),
      );
    };
    xhr.send(opts.file);
  });
  return { done, abort: () => xhr.abort() };
}
