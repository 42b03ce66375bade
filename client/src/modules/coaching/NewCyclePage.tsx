import { useEffect } from "react";
import { useController, useWatch } from "react-hook-form";
import { useNavigate } from "react-router-dom";
import { z } from "zod";
import { CoachingLimits } from "../../../../shared/limits.js";
import { ZCreateCycleRequest } from "../../../../shared/schemas/coaching.js";
import { humanizeIssue } from "../../api/client.js";
import { coachingApi } from "./api.js";
import { PageHeader } from "../../components/Feedback.js";
import { Form, FormSelectField, FormTextAreaField, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { friendlyIssueMessage } from "../../kits/form/messages.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useCoachingAccess } from "./access.js";
import { useCoachSchools } from "./data.js";
import { coachingServerIssues } from "./formIssues.js";
import { PersonPicker, type PersonRef } from "./PersonPicker.js";

type StartingPoint = "outcome" | "problem";

type CycleValues = {
  startingPoint: StartingPoint | "";
  startingText: string;
  title: string;
  schoolId: string;
  teachers: PersonRef[];
};

function toRequest(values: CycleValues) {
  return {
    title: values.title.trim(),
    startingPoint: values.startingPoint || "outcome",
    startingText: values.startingText.trim(),
    schoolId: values.schoolId,
    teacherIds: values.teachers.map((t) => t.id),
  };
}

/** The values checked as the request they become (the shared ZCreateCycleRequest), in a coach's words where they help. */
const ZNewCycleForm = z
  .object({
    startingPoint: z.enum(["", "outcome", "problem"]),
    startingText: z.string(),
    title: z.string(),
    schoolId: z.string(),
    teachers: z.array(z.object({ id: z.string(), name: z.string() })),
  })
  .superRefine((values, ctx) => {
    const own: Record<string, string> = {};
    if (!values.startingPoint) own.startingPoint = "Choose how this cycle starts";
    if (!values.schoolId) own.schoolId = "Choose the school";
    if (values.teachers.length === 0) own.teachers = "Add at least one teacher";
    for (const [field, message] of Object.entries(own)) ctx.addIssue({ code: "custom", path: [field], message });
    const result = ZCreateCycleRequest.safeParse(toRequest(values), { error: friendlyIssueMessage });
    for (const issue of result.error?.issues ?? []) {
      const field = issue.path[0] === "teacherIds" ? "teachers" : String(issue.path[0] ?? "");
      if (own[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message: humanizeIssue(issue.message) });
    }
  });


const STARTS: { value: StartingPoint; question: string; hint: string }[] = [
  {
    value: "outcome",
    question: "What is your expected learning outcome?",
    hint: "Start from what students should understand or be able to do.",
  },
  {
    value: "problem",
    question: "What problem are you facing in your classroom?",
    hint: "Start from something that is not working yet.",
  },
];

/** Opens a coaching cycle from the learning outcome or the classroom problem first, never from a tool. */
export function NewCyclePage() {
  useDocumentTitle("Start a coaching cycle");
  const navigate = useNavigate();
  const access = useCoachingAccess();
  const { schools } = useCoachSchools(access);
  const form = useZodForm(ZNewCycleForm, { startingPoint: "", startingText: "", title: "", schoolId: "", teachers: [] });
  const [startingPoint, teachers] = useWatch({ control: form.control, name: ["startingPoint", "teachers"] });
  const start = STARTS.find((s) => s.value === startingPoint);

  // A coach at a single school never has to pick it.
  const onlySchool = schools.length === 1 ? (schools[0]?.id ?? "") : "";
  useEffect(() => {
    if (onlySchool && !form.getValues("schoolId")) form.setValue("schoolId", onlySchool);
  }, [onlySchool, form]);

  const submit = async (values: CycleValues) => {
    const cycle = await coachingApi.createCycle(toRequest(values));
    navigate(`/coaching/cycles/${encodeURIComponent(cycle.id)}`, { state: { notice: "Cycle started. Add its first step: the goal." } });
  };

  return (
    <>
      <PageHeader
        title="Start a coaching cycle"
        breadcrumb={{ to: "/coaching/cycles", label: "Cycles" }}
        description="Begin with the teacher: what students should learn, or what is getting in the way. The technology comes later."
      />
      <Form form={form} onSubmit={submit} adaptServerIssues={coachingServerIssues(teachers)} className="form form--panel cycle-form">
        <StartChoice />

        {start ? (
          <FormTextAreaField
            name="startingText"
            label={start.question}
            rows={4}
            maxLength={CoachingLimits.maxNotes}
            hint="In the teacher's words, as you heard it."
          />
        ) : null}

        <FormTextField name="title" label="Title" maxLength={160} hint="A short name for your caseload, e.g. “Grade 7 argument writing”." />
        <SchoolAndTeachers schools={schools} />
        <div className="form__actions">
          <SubmitButton label="Start the cycle" pendingLabel="Starting…" />
          <button type="button" className="button" onClick={() => navigate("/coaching/cycles")}>
            Cancel
          </button>
        </div>
      </Form>
    </>
  );
}

/** The two ways into a cycle, as cards: the learning outcome or the classroom problem. */
function StartChoice() {
  const { field, fieldState } = useController<CycleValues, "startingPoint">({ name: "startingPoint" });
  const error = fieldState.error?.message;
  return (
    <fieldset className="start-choice" aria-describedby={error ? "start-error" : undefined}>
      <legend className="start-choice__legend">Where does this cycle start?</legend>
      <div className="start-choice__options">
        {STARTS.map((s, index) => (
          <label key={s.value} className={`start-card${field.value === s.value ? " is-selected" : ""}`}>
            <input
              ref={index === 0 ? field.ref : undefined}
              type="radio"
              name="startingPoint"
              value={s.value}
              checked={field.value === s.value}
              onChange={() => field.onChange(s.value)}
              onBlur={field.onBlur}
              aria-invalid={error ? true : undefined}
            />
            <span className="start-card__question">{s.question}</span>
            <span className="start-card__hint">{s.hint}</span>
          </label>
        ))}
      </div>
      {error ? (
        <p className="field__error" id="start-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** The school, then its teachers: changing the school empties the teachers, who must teach there. */
function SchoolAndTeachers({ schools }: { schools: { id: string; name: string }[] }) {
  const { field: school } = useController<CycleValues, "schoolId">({ name: "schoolId" });
  const { field, fieldState } = useController<CycleValues, "teachers">({ name: "teachers" });
  return (
    <>
      <FormSelectField
        name="schoolId"
        label="School"
        options={[{ value: "", label: "Choose a school" }, ...schools.map((s) => ({ value: s.id, label: s.name }))]}
        onChangeCapture={() => field.onChange([])}
      />
      <PersonPicker
        ref={field.ref}
        name="teachers"
        label="Teachers"
        role="teacher"
        schoolId={school.value || undefined}
        value={field.value}
        onChange={field.onChange}
        maxSelected={12}
        placeholder="Type a name"
        hint="One teacher, or a team of up to 12, at this school."
        error={fieldState.error?.message}
      />
    </>
  );
}
