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
  payload_too_large: 413,
  unsupported_media_type: 415,
  setup_complete: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** A validation error naming one field, shaped like the schema validator's errors. */
export function fieldError(path: string, message: string): AppError {
  const issues: TFieldIssue[] = [{ path, message }];
  return new AppError("validation_failed", `${path}: ${message}`, { issues });
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const forbidden = (message = "You do not have access to this") => new AppError("forbidden", message);
