import { useEffect, useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { CoachingLimits } from "../../../../shared/limits.js";
import { ZCreateCycleRequest } from "../../../../shared/schemas/coaching.js";
import { asApiError, type ApiError, type FieldErrors } from "../../api/client.js";
import { coachingApi } from "./api.js";
import { FormAlert, PageHeader } from "../../components/Feedback.js";
import { SelectField, TextAreaField, TextField } from "../../components/Field.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { focusFirstInvalid, validate } from "../../lib/validate.js";
import { useCoachingAccess } from "./access.js";
import { useCoachSchools } from "./data.js";
import { PersonPicker, type PersonRef } from "./PersonPicker.js";

type StartingPoint = "outcome" | "problem";

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
  const formRef = useRef<HTMLFormElement>(null);
  const [startingPoint, setStartingPoint] = useState<StartingPoint | null>(null);
  const [startingText, setStartingText] = useState("");
  const [title, setTitle] = useState("");
  const [schoolIdChoice, setSchoolId] = useState("");
  const [teachers, setTeachers] = useState<PersonRef[]>([]);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [isSubmitting, setIsSubmitting] = useState(false);
  const schoolId = schoolIdChoice || (schools.length === 1 ? (schools[0]?.id ?? "") : "");
  const start = STARTS.find((s) => s.value === startingPoint);

  useEffect(() => {
    if (Object.keys(fieldErrors).length > 0) focusFirstInvalid(formRef.current);
  }, [fieldErrors]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = {
      title: title.trim(),
      startingPoint: startingPoint ?? "outcome",
      startingText: startingText.trim(),
      schoolId,
      teacherIds: teachers.map((t) => t.id),
    };
    const errors = validate(ZCreateCycleRequest, body);
    if (!startingPoint) errors.startingPoint = "Choose how this cycle starts";
    if (errors.teacherIds) errors.teachers = "Add at least one teacher";
    if (!schoolId) errors.schoolId = "Choose the school";
    delete errors.teacherIds;
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) {
      setError("Please fix the highlighted fields.");
      return;
    }
    setError(null);
    setIsSubmitting(true);
    try {
      const cycle = await coachingApi.createCycle(body);
      navigate(`/coaching/cycles/${encodeURIComponent(cycle.id)}`, { state: { notice: "Cycle started. Add its first step: the goal." } });
    } catch (cause) {
      const apiError = asApiError(cause);
      const fromServer: FieldErrors = {};
      for (const [field, message] of Object.entries(apiError.fieldErrors)) {
        const match = /^teacherIds\.(\d+)$/.exec(field);
        if (match) fromServer.teachers ??= `${teachers[Number(match[1])]?.name ?? "A teacher"}: ${message.replace(/^This /, "")}`;
        else fromServer[field] = message;
      }
      if (apiError.code === "forbidden" && /coach at this school/i.test(apiError.message)) fromServer.schoolId = apiError.message;
      setFieldErrors(fromServer);
      setError(apiError);
      setIsSubmitting(false);
    }
  };

  return (
    <>
      <PageHeader
        title="Start a coaching cycle"
        breadcrumb={{ to: "/coaching/cycles", label: "Cycles" }}
        description="Begin with the teacher: what students should learn, or what is getting in the way. The technology comes later."
      />
      <form ref={formRef} className="form form--panel cycle-form" onSubmit={(e) => void submit(e)} noValidate>
        <FormAlert error={error} hasFieldErrors={Object.keys(fieldErrors).length > 0} />

        <fieldset className="start-choice" aria-describedby={fieldErrors.startingPoint ? "start-error" : undefined}>
          <legend className="start-choice__legend">Where does this cycle start?</legend>
          <div className="start-choice__options">
            {STARTS.map((s) => (
              <label key={s.value} className={`start-card${startingPoint === s.value ? " is-selected" : ""}`}>
                <input
                  type="radio"
                  name="startingPoint"
                  value={s.value}
                  checked={startingPoint === s.value}
                  onChange={() => setStartingPoint(s.value)}
                  aria-invalid={fieldErrors.startingPoint ? true : undefined}
                />
                <span className="start-card__question">{s.question}</span>
                <span className="start-card__hint">{s.hint}</span>
              </label>
            ))}
          </div>
          {fieldErrors.startingPoint ? (
            <p className="field__error" id="start-error">
              {fieldErrors.startingPoint}
            </p>
          ) : null}
        </fieldset>

        {start ? (
          <TextAreaField
            label={start.question}
            rows={4}
            maxLength={CoachingLimits.maxNotes}
            value={startingText}
            onChange={setStartingText}
            hint="In the teacher's words, as you heard it."
            error={fieldErrors.startingText}
          />
        ) : null}

        <TextField
          label="Title"
          value={title}
          onChange={setTitle}
          maxLength={160}
          hint="A short name for your caseload, e.g. “Grade 7 argument writing”."
          error={fieldErrors.title}
        />
        <SelectField
          label="School"
          value={schoolId}
          onChange={(value) => {
            setSchoolId(value);
            setTeachers([]);
          }}
          options={[{ value: "", label: "Choose a school" }, ...schools.map((s) => ({ value: s.id, label: s.name }))]}
          error={fieldErrors.schoolId}
        />
        <PersonPicker
          label="Teachers"
          role="teacher"
          schoolId={schoolId || undefined}
          value={teachers}
          onChange={setTeachers}
          maxSelected={12}
          placeholder="Type a name"
          hint="One teacher, or a team of up to 12, at this school."
          error={fieldErrors.teachers}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={isSubmitting}>
            {isSubmitting ? "Starting…" : "Start the cycle"}
          </button>
          <button type="button" className="button" onClick={() => navigate("/coaching/cycles")}>
            Cancel
          </button>
        </div>
      </form>
    </>
  );
}
