/**
 * Typed fetch wrapper for the Coachwork API.
 *
 * Every request is same-origin JSON with the session cookie. Writes carry the CSRF token
 * that the server hands out with /me, login and setup; errors come back in the shared
 * `{ error: { code, message, details } }` shape and surface here as `ApiError`.
 */
import type { ErrorCode, TFieldIssue } from "../../../shared/errors.js";

export const API_BASE = "/api/v1";

/** Field name (without the `body.`/`query.` prefix) → message. */
export type FieldErrors = Record<string, string>;

type ClientErrorCode = ErrorCode | "network_error" | "bad_response";

export class ApiError extends Error {
  readonly status: number;
  readonly code: ClientErrorCode;
  readonly details: unknown;

  constructor(params: { status: number; code: ClientErrorCode; message: string; details?: unknown }) {
    super(params.message);
    this.name = "ApiError";
    this.status = params.status;
    this.code = params.code;
    this.details = params.details;
  }

  /**
   * Field-level messages, keyed by form field name. Validation errors carry them, and so
   * can others (a duplicate email is a `conflict` that points at `body.email`).
   */
  get fieldErrors(): FieldErrors {
    const errors: FieldErrors = {};
    for (const issue of readIssues(this.details)) {
      const field = stripPrefix(issue.path);
      // The first message for a field is usually the most useful one.
      if (field && errors[field] === undefined) errors[field] = humanizeIssue(issue.message);
    }
    return errors;
  }

  /** Messages from issues that do not point at a single field (e.g. the whole body). */
  get formIssues(): string[] {
    return readIssues(this.details)
      .filter((issue) => stripPrefix(issue.path) === "")
      .map((issue) => humanizeIssue(issue.message));
  }
}

function stripPrefix(path: string): string {
  return path.replace(/^(body|query|params)\.?/, "");
}

/**
 * Server messages are written to follow a field path ("is not your current password") or
 * are zod's defaults; turn them into sentences that stand on their own under a field.
 */
export function humanizeIssue(message: string): string {
  const text = message.trim();
  if (/^Too small: expected string to have >=1 characters?$/.test(text)) return "This field is required";
  const tooSmall = /^Too small: expected string to have >=(\d+) characters$/.exec(text);
  if (tooSmall) return `Use at least ${tooSmall[1]} characters`;
  const tooBig = /^Too big: expected string to have <=(\d+) characters$/.exec(text);
  if (tooBig) return `Use at most ${tooBig[1]} characters`;
  if (/^Too small: expected array to have >=1 items?$/.test(text)) return "Add at least one";
  if (/^Invalid email/i.test(text)) return "Enter a valid email address";
  if (/^(is|must|should|cannot|can't|does|has)\b/.test(text)) return `This ${text}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function readIssues(details: unknown): TFieldIssue[] {
  if (typeof details !== "object" || details === null || !("issues" in details)) return [];
  const issues: unknown = details.issues;
  if (!Array.isArray(issues)) return [];
  const result: TFieldIssue[] = [];
  for (const item of issues as unknown[]) {
    if (typeof item !== "object" || item === null) continue;
    const path = "path" in item && typeof item.path === "string" ? item.path : "";
    const message = "message" in item && typeof item.message === "string" ? item.message : "Invalid value";
    result.push({ path, message });
  }
  return result;
}

let csrfToken: string | null = null;

/** Remember the CSRF token from /me, login or setup; every later write sends it. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The CSRF token, for the few writes that send a file as the body rather than JSON (photo uploads). */
export function getCsrfToken(): string | null {
  return csrfToken;
}

type UnauthenticatedListener = () => void;
const unauthenticatedListeners = new Set<UnauthenticatedListener>();

/** Called when a signed-in request comes back 401 (the session ended or was revoked). */
export function onSessionExpired(listener: UnauthenticatedListener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

/** Builds `?a=1&b=2`, leaving out empty values so URLs stay short and shareable. */
export function toQueryString(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

type RequestOptions = {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Requests made before anyone is signed in: a 401 is an answer, not an expired session. */
  isAnonymous?: boolean;
  /** Extra headers (a chat guest's `X-Chat-Guest` credential). */
  headers?: Record<string, string>;
  isCsrfRetry?: boolean;
};

async function refreshCsrfToken(): Promise<boolean> {
  try {
    const response = await fetch(`${API_BASE}/me`, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return false;
    const me: unknown = await response.json();
    if (typeof me === "object" && me !== null && "csrfToken" in me && typeof me.csrfToken === "string") {
      csrfToken = me.csrfToken;
      return true;
    }
  } catch {
    // Fall through: the original error is more useful to show than this one.
  }
  return false;
}

async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { ...options.headers, Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;

  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}${toQueryString(options.query)}`, {
      method,
      headers,
      credentials: "same-origin",
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError({
      status: 0,
      code: "network_error",
      message: "Could not reach the server. Check your connection and try again.",
    });
  }

  if (response.status === 204) return undefined as T;

  const text = await response.text();
  let payload: unknown = undefined;
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      throw new ApiError({
        status: response.status,
        code: "bad_response",
        message: `The server sent an unexpected response (HTTP ${response.status}).`,
      });
    }
  }

  if (!response.ok) {
    const error = toApiError(response.status, payload);
    // The session's CSRF token can change under us (e.g. signing in again in another tab):
    // fetch the current one and retry the write once.
    if (error.code === "csrf_failed" && !options.isCsrfRetry && (await refreshCsrfToken())) {
      return request<T>(method, path, { ...options, isCsrfRetry: true });
    }
    if (error.status === 401 && !options.isAnonymous) {
      for (const listener of unauthenticatedListeners) listener();
    }
    throw error;
  }
  return payload as T;
}

export function toApiError(status: number, payload: unknown): ApiError {
  if (typeof payload === "object" && payload !== null && "error" in payload) {
    const body: unknown = payload.error;
    if (typeof body === "object" && body !== null && "code" in body && typeof body.code === "string") {
      const raw = "message" in body && typeof body.message === "string" ? body.message : "Something went wrong.";
      // "body.email: someone … has this email" reads better without the path in a banner.
      const message = humanizeIssue(raw.replace(/^(body|query|params)(\.[\w.]+)?: /, ""));
      return new ApiError({
        status,
        code: body.code as ErrorCode,
        message,
        details: "details" in body ? body.details : undefined,
      });
    }
  }
  return new ApiError({
    status,
    code: status >= 500 ? "internal" : "bad_request",
    message: status >= 500 ? "The server had a problem. Try again in a moment." : `Request failed (HTTP ${status}).`,
  });
}

export const http = {
  get: <T>(path: string, options?: Omit<RequestOptions, "body">) => request<T>("GET", path, options),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, "body">) =>
    request<T>("POST", path, { ...options, body }),
  patch: <T>(path: string, body: unknown, options?: Omit<RequestOptions, "body">) =>
    request<T>("PATCH", path, { ...options, body }),
  put: <T>(path: string, body: unknown, options?: Omit<RequestOptions, "body">) =>
    request<T>("PUT", path, { ...options, body }),
  delete: <T = void>(path: string, options?: Omit<RequestOptions, "body">) => request<T>("DELETE", path, options),
};

/** Turns any thrown value into an ApiError so UI code has one shape to render. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({
    status: 0,
    code: "internal",
    message: error instanceof Error ? error.message : "Something went wrong.",
  });
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}
