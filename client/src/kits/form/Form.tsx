/**
 * The one way to build a form: react-hook-form with the shared zod schema as resolver (the same
 * limits the server checks), field errors under each field, the server's `validation_failed`
 * issues mapped onto the fields, focus on the first invalid field, and the submit state.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { createContext, useContext, useEffect, useId, useRef, useState, type ComponentProps, type ReactNode, type Ref } from "react";
import {
  FormProvider,
  useController,
  useForm,
  useFormContext,
  type DefaultValues,
  type FieldPath,
  type FieldValues,
  type Path,
  type UseFormReturn,
} from "react-hook-form";
import type { z } from "zod";
import type { TFieldIssue } from "../../../../shared/errors.js";
import { ApiError, asApiError } from "../../api/client.js";
import { FormAlert } from "../../components/Feedback.js";
import { SelectField, TextAreaField, TextField } from "../../components/Field.js";
import { friendlyIssueMessage } from "./messages.js";
import { mapServerIssues, readServerIssues } from "./serverIssues.js";

/** A form over a zod object schema: values start from `defaultValues`, and are checked on submit, then as they change. */
export function useZodForm<TSchema extends z.ZodType<FieldValues, FieldValues>>(
  schema: TSchema,
  defaultValues: DefaultValues<z.input<TSchema>>,
): UseFormReturn<z.input<TSchema>, unknown, z.output<TSchema>> {
  return useForm<z.input<TSchema>, unknown, z.output<TSchema>>({
    resolver: zodResolver(schema, { error: friendlyIssueMessage }),
    defaultValues,
    mode: "onSubmit",
    reValidateMode: "onChange",
    shouldFocusError: true,
  });
}

/**
 * Rewrites a failed submit's issues before they are placed: for a request field the form shows
 * differently (`teacherIds.2` is the teachers picker) or an error that names a field in its message.
 */
export type AdaptServerIssues = (issues: TFieldIssue[], error: ApiError) => TFieldIssue[];

const FIX_FIELDS = "Please fix the highlighted fields.";

/**
 * Puts a failed submit's issues on the fields (focusing the first) and returns what to show above
 * the form: the issues that fit no field, or the error's own message.
 */
export function applyServerError<T extends FieldValues>(
  form: UseFormReturn<T, unknown, FieldValues>,
  error: ApiError,
  adaptIssues?: AdaptServerIssues,
): string | ApiError {
  const fieldNames = fieldPaths(form.getValues());
  const issues = readServerIssues(error.details);
  const { fieldErrors, formMessages } = mapServerIssues(adaptIssues ? adaptIssues(issues, error) : issues, fieldNames);
  const fields = Object.entries(fieldErrors);
  fields.forEach(([name, message], index) => {
    form.setError(name as Path<T>, { type: "server", message }, { shouldFocus: index === 0 });
  });
  if (fields.length > 0 || formMessages.length > 0) return [...formMessages, FIX_FIELDS].join(" ");
  return error;
}

/** Every path in the form's values ("roles", "roles.0", "roles.0.schoolId"), for placing server issues. */
function fieldPaths(values: unknown, prefix = ""): string[] {
  if (typeof values !== "object" || values === null) return [];
  return Object.entries(values).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...fieldPaths(value, path)];
  });
}

/**
 * Inputs a submit must not pass over: text typed into a picker but not picked (a name that would
 * otherwise be dropped without a word). Each registers, under its form field's name, what to say
 * about it, or null when there is nothing unfinished.
 */
type UnfinishedInputs = { messages: Map<string, string>; clear: (name: string) => void };
const UnfinishedInputsContext = createContext<UnfinishedInputs | null>(null);

/**
 * Inside a Form: while `message` is not null, submitting puts it on field `name` (focusing it) instead
 * of sending. Outside a Form (a filter bar), or without a name, it does nothing.
 */
export function useUnfinishedInput(name: string | undefined, message: string | null): void {
  const context = useContext(UnfinishedInputsContext);
  useEffect(() => {
    if (!context || !name) return;
    if (message) context.messages.set(name, message);
    else if (context.messages.delete(name)) context.clear(name);
  }, [context, name, message]);
  useEffect(() => () => void (name && context?.messages.delete(name)), [context, name]);
}

type FormProps<TIn extends FieldValues, TOut extends FieldValues> = Omit<ComponentProps<"form">, "onSubmit" | "onError"> & {
  form: UseFormReturn<TIn, unknown, TOut>;
  /** Called with the checked values; a thrown ApiError is shown on the fields and above the form. */
  onSubmit: (values: TOut) => Promise<void> | void;
  /** Words for an error the page knows better (a 401 on sign-in is "Email or password is incorrect."). */
  describeError?: (error: ApiError) => string | null;
  adaptServerIssues?: AdaptServerIssues;
  /** The form's own heading, shown above the alert (an inline panel's "Add a step"). */
  heading?: ReactNode;
  children: ReactNode;
};

export function Form<TIn extends FieldValues, TOut extends FieldValues>({
  form,
  onSubmit,
  describeError,
  adaptServerIssues,
  heading,
  children,
  className = "form",
  ...rest
}: FormProps<TIn, TOut>) {
  const [alert, setAlert] = useState<string | ApiError | null>(null);
  const unfinished = useRef<UnfinishedInputs | null>(null);
  unfinished.current ??= {
    messages: new Map(),
    // A field's "unfinished" error goes when its text does (picking someone re-checks the field anyway).
    clear: (name) => {
      if (form.getFieldState(name as Path<TIn>).error?.type === "unfinished") form.clearErrors(name as Path<TIn>);
    },
  };
  /** Puts each unfinished input's message on its field; true when there was any. */
  const flagUnfinished = (): boolean => {
    const entries = [...(unfinished.current?.messages ?? [])];
    entries.forEach(([name, message], index) => form.setError(name as Path<TIn>, { type: "unfinished", message }, { shouldFocus: index === 0 }));
    return entries.length > 0;
  };
  const submit = form.handleSubmit(
    async (values) => {
      if (flagUnfinished()) {
        setAlert(FIX_FIELDS);
        return;
      }
      setAlert(null);
      try {
        await onSubmit(values);
      } catch (cause) {
        const error = asApiError(cause);
        setAlert(
          describeError?.(error) ?? applyServerError(form as unknown as UseFormReturn<TIn, unknown, FieldValues>, error, adaptServerIssues),
        );
      }
    },
    () => {
      flagUnfinished();
      setAlert(FIX_FIELDS);
    },
  );
  // "Please fix…" goes once the fields are fixed (they are checked again as they change) or the form is reset.
  const hasFieldErrors = Object.keys(form.formState.errors).length > 0;
  const shown = alert === FIX_FIELDS && !hasFieldErrors ? null : alert;
  return (
    <FormProvider {...form}>
      <UnfinishedInputsContext.Provider value={unfinished.current}>
        <form {...rest} className={className} onSubmit={(event) => void submit(event)} noValidate>
          {heading}
          <FormAlert error={shown} />
          {children}
        </form>
      </UnfinishedInputsContext.Provider>
    </FormProvider>
  );
}

/** The form's submit button: disabled, with `pendingLabel`, while the submit runs. */
export function SubmitButton({
  label,
  pendingLabel,
  className = "button button--primary",
  isDisabled = false,
  ref,
}: {
  label: ReactNode;
  pendingLabel: ReactNode;
  className?: string;
  isDisabled?: boolean;
  /** The button itself, for a page that moves focus to it (the quick log after "Repeat"). */
  ref?: Ref<HTMLButtonElement>;
}) {
  const { formState } = useFormContext();
  return (
    <button ref={ref} type="submit" className={className} disabled={formState.isSubmitting || isDisabled}>
      {formState.isSubmitting ? pendingLabel : label}
    </button>
  );
}

type Named<P> = Omit<P, "value" | "onChange" | "error" | "ref"> & { name: string };

/** A TextField bound to the surrounding Form's field `name` (its value, error and focus). */
export function FormTextField(props: Named<ComponentProps<typeof TextField>>) {
  const { name, ...rest } = props;
  const { field, fieldState } = useController({ name: name as FieldPath<FieldValues> });
  return (
    <TextField
      {...rest}
      ref={field.ref}
      name={field.name}
      value={typeof field.value === "string" ? field.value : field.value == null ? "" : String(field.value)}
      onChange={field.onChange}
      onBlur={field.onBlur}
      error={fieldState.error?.message}
    />
  );
}

export function FormTextAreaField(props: Named<ComponentProps<typeof TextAreaField>>) {
  const { name, ...rest } = props;
  const { field, fieldState } = useController({ name: name as FieldPath<FieldValues> });
  return (
    <TextAreaField
      {...rest}
      ref={field.ref}
      name={field.name}
      value={typeof field.value === "string" ? field.value : ""}
      onChange={field.onChange}
      onBlur={field.onBlur}
      error={fieldState.error?.message}
    />
  );
}

export function FormSelectField(props: Named<ComponentProps<typeof SelectField>>) {
  const { name, ...rest } = props;
  const { field, fieldState } = useController({ name: name as FieldPath<FieldValues> });
  return (
    <SelectField
      {...rest}
      ref={field.ref}
      name={field.name}
      value={typeof field.value === "string" ? field.value : ""}
      onChange={field.onChange}
      onBlur={field.onBlur}
      error={fieldState.error?.message}
    />
  );
}

/** A checkbox bound to the surrounding Form's boolean field `name`, with its label and hint beside it. */
export function FormCheckboxField({ name, label, hint }: { name: string; label: ReactNode; hint?: ReactNode }) {
  const id = useId();
  const { field } = useController({ name: name as FieldPath<FieldValues> });
  return (
    <div className="field field--check">
      <input
        ref={field.ref}
        id={id}
        name={field.name}
        type="checkbox"
        className="field__check"
        checked={field.value === true}
        onChange={(event) => field.onChange(event.target.checked)}
        onBlur={field.onBlur}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <div>
        <label className="field__label" htmlFor={id}>
          {label}
        </label>
        {hint ? (
          <p className="field__hint" id={`${id}-hint`}>
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}
