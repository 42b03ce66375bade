import { DISPLAY_NAMES, FILE_KEYS, IGNORED_FILES, type OneRosterVersion, requiredFiles, ROSTER_FILES } from "./spec.js";
import { readCsvFile } from "./read-csv.js";
import type { PlanState } from "./state.js";

const MANIFEST = "manifest.csv";

/** manifest.csv: the OneRoster version and each file's mode (bulk, delta or absent). */
export async function readManifest(plan: PlanState): Promise<boolean> {
  const file = plan.source.files.get(MANIFEST);
  if (!file) return inferManifest(plan);
  const props = new Map<string, { value: string; line: number }>();
  const ok = await readCsvFile(plan, MANIFEST, ["propertyName", "value"], [], async (v, line) => {
    const name = v("propertyName");
    if (name === "") return;
    if (props.has(name)) plan.issues.error(MANIFEST, line, "propertyName", `${name} is given twice`);
    props.set(name, { value: v("value"), line });
  });
  if (!ok) return false;
  const version = props.get("oneroster.version");
  if (!version) {
    plan.issues.blocker(MANIFEST, null, "propertyName", "oneroster.version is missing; it must be 1.1 or 1.2");
    return false;
  }
  if (version.value !== "1.1" && version.value !== "1.2") {
    plan.issues.blocker(MANIFEST, version.line, "value", `oneroster.version is "${version.value}"; Coachwork reads 1.1 and 1.2`);
    return false;
  }
  plan.version = version.value;
  for (const name of ROSTER_FILES) {
    if (version.value === "1.1" && name === "roles.csv") continue;
    const key = `file.${FILE_KEYS[name]}`;
    const prop = props.get(key);
    const display = DISPLAY_NAMES[name];
    if (!prop) {
      plan.modes[display] = plan.source.files.has(name) ? "bulk" : "absent";
      if (plan.source.files.has(name)) plan.issues.warning(MANIFEST, null, null, `${key} is not listed; ${display} is read as bulk`);
      continue;
    }
    const mode = prop.value.toLowerCase();
    if (mode !== "bulk" && mode !== "delta" && mode !== "absent") {
      plan.issues.blocker(MANIFEST, prop.line, "value", `${key} is "${prop.value}"; it must be bulk, delta or absent`);
      continue;
    }
    plan.modes[display] = mode;
  }
  return true;
}

/**
 * No manifest.csv (several SIS exports ship none): the version is 1.2 when roles.csv is there, else
 * 1.1; each file present is read as bulk, each one missing as absent. Without a single OneRoster
 * file this is not an export at all, and is refused.
 */
function inferManifest(plan: PlanState): boolean {
  const present = ROSTER_FILES.filter((name) => plan.source.files.has(name));
  if (present.length === 0) {
    plan.issues.blocker(MANIFEST, null, null, "manifest.csv is missing and so is every OneRoster file (orgs.csv, users.csv…): is this the right .zip?");
    return false;
  }
  const version: OneRosterVersion = plan.source.files.has("roles.csv") ? "1.2" : "1.1";
  plan.version = version;
  for (const name of ROSTER_FILES) {
    if (version === "1.1" && name === "roles.csv") continue;
    plan.modes[DISPLAY_NAMES[name]] = plan.source.files.has(name) ? "bulk" : "absent";
  }
  const absent = ROSTER_FILES.filter((name) => !present.includes(name) && !(version === "1.1" && name === "roles.csv"));
  plan.issues.warning(
    MANIFEST,
    null,
    null,
    `manifest.csv is missing, so it is inferred from the files: OneRoster ${version}${version === "1.2" ? " (roles.csv is there)" : ""}, ${present.map((n) => DISPLAY_NAMES[n]).join(", ")} read as bulk (complete: what they leave out is deactivated)${absent.length > 0 ? `, ${absent.map((n) => DISPLAY_NAMES[n]).join(", ")} absent` : ""}`,
  );
  return true;
}

/** The files the manifest and the version call for are there; roles.csv only in 1.2; the others are ignored, with a notice. */
export function checkFiles(plan: PlanState, version: OneRosterVersion): void {
  for (const name of requiredFiles(version)) {
    const display = DISPLAY_NAMES[name];
    const mode = plan.modes[display];
    if (mode !== "absent" && !plan.source.files.has(name)) {
      plan.issues.blocker(display, null, null, `${display} is missing, but manifest.csv declares file.${FILE_KEYS[name]}=${mode ?? "bulk"}`);
    }
    if (mode === undefined && !plan.source.files.has(name)) {
      plan.issues.blocker(display, null, null, `${display} is missing; a OneRoster ${version} import needs it`);
    }
  }
  if (version === "1.1" && plan.source.files.has("roles.csv")) {
    plan.issues.blocker(
      "roles.csv",
      null,
      null,
      "roles.csv is a OneRoster 1.2 file, but manifest.csv declares oneroster.version 1.1; export the set as 1.2 or fix the manifest",
    );
  }
  const known = new Set<string>([MANIFEST, ...ROSTER_FILES]);
  const ignored = [...plan.source.files.keys()].filter((n) => !known.has(n)).concat(plan.source.others);
  for (const name of ignored) {
    const why = IGNORED_FILES.has(name) ? "Coachwork does not use it" : "it is not a OneRoster file Coachwork reads";
    plan.issues.warning(name, null, null, `ignored: ${why}`);
  }
}
