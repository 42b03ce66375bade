import type { z } from "zod";

/**
 * Zod's messages are written for developers and the shared ones to follow a field's name in an API
 * error; under a form field people read these. Used as the per-parse error map of every form.
 */
export function friendlyIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const isBlank = typeof issue.input === "string" ? issue.input.trim() === "" : issue.input === undefined || issue.input === null;
  switch (issue.code) {
    case "too_small":
      if (issue.origin === "string" && (isBlank || Number(issue.minimum) <= 1)) return "This field is required";
      if (issue.origin === "string") return `Use at least ${String(issue.minimum)} characters`;
      if (issue.origin === "array") return `Add at least ${String(issue.minimum)}`;
      return undefined;
    case "too_big":
      if (issue.origin === "string") return `Use at most ${String(issue.maximum)} characters`;
      return undefined;
    case "invalid_format":
      if (isBlank) return "This field is required";
      if (issue.format === "email") return "Enter a valid email address";
      return undefined;
    case "invalid_type":
    case "invalid_value":
      return isBlank ? "This field is required" : undefined;
    default:
      return undefined;
  }
}
