import type { TFieldIssue } from "../../../../shared/errors.js";
import { humanizeIssue } from "../../api/client.js";

export type ServerIssueMapping = {
  /** Field path as the form names it ("email", "roles.0.schoolId") → the first message for it. */
  fieldErrors: Record<string, string>;
  /** Messages that belong to no field of this form: shown above the form. */
  formMessages: string[];
};

/** "body.roles.0.schoolId" → "roles.0.schoolId"; "body" → "". */
export function issueFieldPath(path: string): string {
  return path.replace(/^(body|query|params)\.?/, "");
}

/**
 * Maps a `validation_failed` (or `conflict`) answer's issues onto the form's fields. An issue on a
 * field the form does not show (or on the whole body) is not lost: it becomes a form message. A
 * path deeper than a field ("teacherIds.2") lands on the nearest field the form has ("teacherIds").
 */
export function mapServerIssues(issues: readonly TFieldIssue[], fieldNames: readonly string[]): ServerIssueMapping {
  const known = new Set(fieldNames);
  const fieldErrors: Record<string, string> = {};
  const formMessages: string[] = [];
  for (const issue of issues) {
    const message = humanizeIssue(issue.message);
    const field = nearestField(issueFieldPath(issue.path), known);
    if (field === null) {
      if (!formMessages.includes(message)) formMessages.push(message);
    } else if (fieldErrors[field] === undefined) {
      // The first message for a field is usually the most useful one.
      fieldErrors[field] = message;
    }
  }
  return { fieldErrors, formMessages };
}

function nearestField(path: string, known: ReadonlySet<string>): string | null {
  const parts = path.split(".").filter(Boolean);
  for (let length = parts.length; length > 0; length--) {
    const candidate = parts.slice(0, length).join(".");
    if (known.has(candidate)) return candidate;
  }
  return null;
}

/** The issues of an API error's details, or none. */
export function readServerIssues(details: unknown): TFieldIssue[] {
  if (typeof details !== "object" || details === null || !("issues" in details) || !Array.isArray(details.issues)) return [];
  const issues: TFieldIssue[] = [];
  for (const item of details.issues as unknown[]) {
    if (typeof item !== "object" || item === null) continue;
    const path = "path" in item && typeof item.path === "string" ? item.path : "";
    const message = "message" in item && typeof item.message === "string" ? item.message : "Invalid value";
    issues.push({ path, message });
  }
  return issues;
}
