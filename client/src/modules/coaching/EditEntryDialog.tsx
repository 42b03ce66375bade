import { useEffect, useRef, useState } from "react";
import type { TCategory, TCycle, TEntry } from "../../../../shared/schemas/coaching.js";
import { ApiError, asApiError, type FieldErrors } from "../../api/client.js";
import { coachingApi } from "./api.js";
import { Icon } from "../../components/Icon.js";
import type { SchoolRef } from "./access.js";
import { EntryForm, entryFieldErrors, entryToValues, validateEntryValues, valuesToRequest, type EntryValues } from "./EntryForm.js";

/**
 * Edits one entry in a modal sheet (a native <dialog>: it traps focus, closes on Escape and returns
 * focus to the button that opened it). On a phone it rises from the bottom of the screen.
 */
export function EditEntryDialog({
  entry,
  categories,
  colors,
  schools,
  cycles,
  onClose,
  onSaved,
  onDeleted,
}: {
  entry: TEntry | null;
  categories: TCategory[];
  colors: Map<string, string>;
  schools: SchoolRef[];
  cycles: TCycle[];
  onClose: () => void;
  onSaved: (entry: TEntry) => void;
  /** Offers "Delete entry" in the sheet when given. */
  onDeleted?: (entry: TEntry) => void;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [values, setValues] = useState<EntryValues | null>(entry ? entryToValues(entry) : null);
  const [editingId, setEditingId] = useState<string | null>(entry?.id ?? null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [isSubmitting, setIsSubmitting] = useState(false);
  const [isConfirmingDelete, setIsConfirmingDelete] = useState(false);

  // A different entry opened: start from its values (derived-state reset during render).
  if ((entry?.id ?? null) !== editingId) {
    setEditingId(entry?.id ?? null);
    setValues(entry ? entryToValues(entry) : null);
    setFieldErrors({});
    setError(null);
    setIsConfirmingDelete(false);
  }

  const remove = async () => {
    if (!entry || !onDeleted) return;
    setIsSubmitting(true);
    try {
      await coachingApi.deleteEntry(entry.id);
      onDeleted(entry);
    } catch (cause) {
      setError(asApiError(cause));
    } finally {
      setIsSubmitting(false);
    }
  };

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (entry && !dialog.open) dialog.showModal();
    if (!entry && dialog.open) dialog.close();
  }, [entry]);

  const save = async () => {
    if (!entry || !values) return;
    const clientErrors = validateEntryValues(values);
    setFieldErrors(clientErrors);
    if (Object.keys(clientErrors).length > 0) {
      setError("Please fix the highlighted fields.");
      return;
    }
    setError(null);
    setIsSubmitting(true);
    try {
      const saved = await coachingApi.updateEntry(entry.id, valuesToRequest(values));
      onSaved(saved);
    } catch (cause) {
      const apiError = asApiError(cause);
      setFieldErrors(entryFieldErrors(apiError, values.teachers));
      setError(apiError);
    } finally {
      setIsSubmitting(false);
    }
  };

  // Schools the entry already names stay choosable even if the coach no longer works there.
  const schoolChoices = entry?.school && !schools.some((s) => s.id === entry.school?.id) ? [...schools, entry.school] : schools;

  return (
    <dialog ref={dialogRef} className="sheet" aria-labelledby="edit-entry-title" onClose={onClose}>
      {entry && values ? (
        <div className="sheet__inner">
          <div className="sheet__head">
            <h2 id="edit-entry-title" className="sheet__title">
              Edit entry
            </h2>
            <button type="button" className="icon-button" onClick={onClose} aria-label="Close">
              <Icon name="close" size={20} />
            </button>
          </div>
          <EntryForm
            values={values}
            onChange={setValues}
            categories={categories}
            colors={colors}
            schools={schoolChoices}
            cycles={cycles}
            fieldErrors={fieldErrors}
            error={error}
            isSubmitting={isSubmitting}
            submitLabel="Save changes"
            onSubmit={() => void save()}
            secondaryActions={
              <>
                <button type="button" className="button button--large" onClick={onClose}>
                  Cancel
                </button>
                {onDeleted ? (
                  isConfirmingDelete ? (
                    <span className="sheet__confirm" role="group" aria-label="Confirm delete">
                      <span>Delete this entry?</span>
                      <button type="button" className="button button--danger" onClick={() => void remove()} disabled={isSubmitting}>
                        Delete
                      </button>
                      <button type="button" className="button" onClick={() => setIsConfirmingDelete(false)} autoFocus>
                        Keep
                      </button>
                    </span>
                  ) : (
                    <button type="button" className="button button--large button--ghost button--danger-quiet sheet__delete" onClick={() => setIsConfirmingDelete(true)}>
                      <Icon name="trash" size={16} />
                      Delete entry
                    </button>
                  )
                ) : null}
              </>
            }
          />
        </div>
      ) : null}
    </dialog>
  );
}
