import type { AdaptServerIssues } from "../../kits/form/Form.js";
import type { PersonRef } from "./PersonPicker.js";

/**
 * The coaching forms show a request's `teacherIds` as the teachers picker: an issue on
 * `teacherIds.2` lands there naming the teacher. A school the coach does not coach at is refused as
 * `forbidden`, with the field only in the message: it lands on the school.
 */
export function coachingServerIssues(teachers: readonly PersonRef[]): AdaptServerIssues {
  return (issues, error) => {
    const adapted = issues.map((issue) => {
      const path = issue.path.replace(/^body\.?/, "");
      const teacher = /^teacherIds\.(\d+)/.exec(path);
      if (teacher) return { path: "teachers", message: `${teachers[Number(teacher[1])]?.name ?? "A teacher"}: ${issue.message}` };
      if (path === "teacherIds") return { path: "teachers", message: issue.message };
      return issue;
    });
    if (error.code === "forbidden" && /coach at this school/i.test(error.message)) adapted.push({ path: "schoolId", message: error.message });
    return adapted;
  };
}
