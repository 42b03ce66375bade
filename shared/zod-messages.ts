import { z } from "zod";

// Plain-English validation messages, shared by the server (API errors) and the client (form errors),
// so a person reads "must be at least 10 characters", not "Too small: expected string to have >=10 characters".
// Messages are written to follow the field's name: "email is not a valid email address".

const FORMATS: Record<string, string> = {
  email: "a valid email address",
  date: "a date like 2026-09-14",
  datetime: "a date and time in ISO 8601",
  url: "a web address",
  uuid: "an identifier",
};

function plural(n: number | bigint, unit: string): string {
  return `${n} ${unit}${Number(n) === 1 ? "" : "s"}`;
}

z.config({
  customError: (issue) => {
    switch (issue.code) {
      case "invalid_type":
        if (issue.input === undefined) return "is required";
        return `must be ${issue.expected === "array" ? "a list" : issue.expected === "object" ? "an object" : `a ${issue.expected}`}`;
      case "too_small":
        if (issue.origin === "string") return Number(issue.minimum) <= 1 ? "must not be empty" : `must be at least ${plural(issue.minimum, "character")}`;
        if (issue.origin === "array") return `must have at least ${plural(issue.minimum, "item")}`;
        return `must be at least ${issue.minimum}`;
      case "too_big":
        if (issue.origin === "string") return `must be at most ${plural(issue.maximum, "character")}`;
        if (issue.origin === "array") return `must have at most ${plural(issue.maximum, "item")}`;
        return `must be at most ${issue.maximum}`;
      case "invalid_format":
        return `is not ${FORMATS[issue.format] ?? `a valid ${issue.format}`}`;
      case "invalid_value":
        return `must be one of: ${issue.values.map((v) => String(v)).join(", ")}`;
      case "unrecognized_keys":
        return `has ${issue.keys.length === 1 ? "a field" : "fields"} we do not know: ${issue.keys.join(", ")}`;
      default:
        return undefined; // zod's own message
    }
  },
});
