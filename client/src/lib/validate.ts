import type { z } from "zod";
import type { FieldErrors } from "../api/client.js";

/**
 * Checks form values against the same shared zod schema the server uses, so both sides
 * agree on limits; returns messages keyed by field path ("roles.0.schoolId").
 */
export function validate(schema: z.ZodType, values: unknown): FieldErrors {
  const result = schema.safeParse(values);
  if (result.success) return {};
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join(".");
    if (errors[key] !== undefined) continue;
    errors[key] = isBlank(valueAt(values, issue.path)) ? "This field is required" : friendlyMessage(issue);
  }
  return errors;
}

function valueAt(values: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = values;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function isBlank(value: unknown): boolean {
  return typeof value === "string" && value.trim() === "";
}

/** Zod's default messages are written for developers; these are written for people. */
function friendlyMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "too_small":
      if (issue.origin === "string" && Number(issue.minimum) <= 1) return "This field is required";
      if (issue.origin === "string" && issue.message.startsWith("Too small"))
        return `Use at least ${String(issue.minimum)} characters`;
      if (issue.origin === "array") return `Add at least ${String(issue.minimum)}`;
      return issue.message;
    case "too_big":
      if (issue.origin === "string") return `Use at most ${String(issue.maximum)} characters`;
      return issue.message;
    case "invalid_format":
      if (issue.format === "email") return "Enter a valid email address";
      return issue.message;
    case "invalid_type":
      return "This field is required";
    default:
      return issue.message;
  }
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}

/** Focus the first invalid control after a failed submit so keyboard users land on it. */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  requestAnimationFrame(() => {
    form?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
  });
}
