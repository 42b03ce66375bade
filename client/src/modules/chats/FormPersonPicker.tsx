import { useController, type FieldPath, type FieldValues } from "react-hook-form";
import type { Role } from "../../../../shared/roles.js";
import { PersonPicker, type PersonRef } from "../coaching/PersonPicker.js";

/** The directory's person picker bound to the surrounding Form's field `name` (a list of people). */
export function FormPersonPicker({
  name,
  label,
  role,
  hint,
  noun = "people",
  maxSelected,
  isOptional,
}: {
  name: string;
  label: string;
  role?: Role;
  hint?: string;
  noun?: string;
  maxSelected?: number;
  isOptional?: boolean;
}) {
  const { field, fieldState } = useController({ name: name as FieldPath<FieldValues> });
  return (
    <PersonPicker
      ref={field.ref}
      name={name}
      label={label}
      role={role}
      value={Array.isArray(field.value) ? (field.value as PersonRef[]) : []}
      onChange={field.onChange}
      placeholder="Type a name"
      hint={hint}
      noun={noun}
      maxSelected={maxSelected}
      isOptional={isOptional}
      error={fieldState.error?.message}
    />
  );
}
