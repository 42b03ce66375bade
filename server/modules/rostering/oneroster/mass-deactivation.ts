import type { PlanState } from "./state.js";

// A header-only enrollments.csv (or users.csv) in a bulk set is a complete file saying "nobody":
// applied, it would deactivate every enrolment (or person) of the district without a word. So
// past a share of what is active, the import stops and asks for a confirmation it does not
// need for an ordinary nightly export.

/** More than this share of the district's active people or enrolments deactivated by one import needs confirming. */
export const MASS_DEACTIVATION_SHARE = 0.1;

const percent = (part: number, whole: number) => `${Math.round((100 * part) / Math.max(1, whole))}%`;

/**
 * Stops the import (a blocking issue, first in the report, naming the counts) when it would
 * deactivate more than MASS_DEACTIVATION_SHARE of the active people or enrolments, unless the
 * admin allowed it; then it is only a warning, also first.
 */
export function guardMassDeactivation(plan: PlanState): void {
  const people = plan.entities.people.deactivated;
  const enrollments = plan.entities.enrollments.deactivated;
  const parts: { file: string; text: string }[] = [];
  if (people > MASS_DEACTIVATION_SHARE * plan.activePeople && people > 0) {
    parts.push({ file: "users.csv", text: `${people.toLocaleString("en-US")} of the district's ${plan.activePeople.toLocaleString("en-US")} active people (${percent(people, plan.activePeople)})` });
  }
  if (enrollments > MASS_DEACTIVATION_SHARE * plan.activeEnrollments && enrollments > 0) {
    parts.push({
      file: "enrollments.csv",
      text: `${enrollments.toLocaleString("en-US")} of its ${plan.activeEnrollments.toLocaleString("en-US")} active enrollments (${percent(enrollments, plan.activeEnrollments)})`,
    });
  }
  const file = parts[0]?.file;
  if (file === undefined) return;
  const isAllowed = plan.opts.allowMassDeactivation === true;
  plan.massDeactivation = { people, activePeople: plan.activePeople, enrollments, activeEnrollments: plan.activeEnrollments, isAllowed };
  const what = `This import would deactivate ${parts.map((p) => p.text).join(" and ")}`;
  if (isAllowed) {
    plan.issues.headline(file, `${what}; allowed by the admin (allow mass deactivation).`, true);
    return;
  }
  plan.issues.headline(
    file,
    `${what}, more than ${MASS_DEACTIVATION_SHARE * 100}%: nothing was written. A file with only its header, or another district's export, does this. ` +
      "If the SIS really dropped them, import again allowing mass deactivation (the checkbox on the import page, --allow-mass-deactivation on the command line, allowMassDeactivation=true in the API).",
  );
}
