import type { ErrorCode, TFieldIssue } from "../shared/errors.js";

/** The one error type services throw; the edge maps `code` to an HTTP status. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  setup_complete: 409,
  rate_limited: 429,
  unavailable: 503,
  database_unavailable: 503,
  storage_full: 503,
  internal: 500,
};

/** Seconds a client should wait before retrying, sent as `Retry-After` with these codes. */
export const RETRY_AFTER_SECONDS: Partial<Record<ErrorCode, number>> = {
  database_unavailable: 5,
  storage_full: 60,
};

/** The database could not be reached; the request may be retried as it is. */
export const databaseUnavailable = () => new AppError("database_unavailable", "The database is not answering right now; try again in a few seconds");

/** A write failed for lack of disk space; nothing was written. */
export const storageFull = () =>
  new AppError("storage_full", "The server's disk is full, so nothing could be saved; an administrator needs to free space");

/** A validation error naming one field, shaped like the schema validator's errors. */
export function fieldError(path: string, message: string): AppError {
  const issues: TFieldIssue[] = [{ path, message }];
  return new AppError("validation_failed", `${path}: ${message}`, { issues });
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const forbidden = (message = "You do not have access to this") => new AppError("forbidden", message);
