import { humanizeIssue, type ApiError } from "../../api/client.js";
import { issueFieldPath, readServerIssues } from "../../kits/form/serverIssues.js";

/**
 * The Settings tab's small forms (a new category or queue, a rename, the targets table) have no
 * fields the shared form kit can highlight, so "Please fix the highlighted fields." pointed at
 * nothing. This turns the API's issues into words: `label(path)` names the thing a field path is
 * about ("New category", "Won't charge, Normal: hours to resolution"); the rest keep the message.
 */
export function settingsErrorMessage(error: ApiError, label: (field: string) => string | null): string {
  const issues = readServerIssues(error.details);
  if (issues.length === 0) return error.message;
  const lines = issues.map((issue) => {
    const name = label(issueFieldPath(issue.path));
    return name ? `${name}: ${issue.message.trim()}` : humanizeIssue(issue.message);
  });
  return [...new Set(lines)].join(" ");
}
