import { useEffect, useRef, useState } from "react";
import type { TCategory, TCycle, TEntry } from "../../../../shared/schemas/coaching.js";
import { asApiError, type ApiError } from "../../api/client.js";
import { FormAlert } from "../../components/Feedback.js";
import { coachingApi } from "./api.js";
import { Icon } from "../../components/Icon.js";
import type { SchoolRef } from "./access.js";
import { EntryForm, entryToValues, useEntryForm, valuesToRequest } from "./EntryForm.js";

type EditEntryProps = {
  categories: TCategory[];
  colors: Map<string, string>;
  schools: SchoolRef[];
  cycles: TCycle[];
  onClose: () => void;
  onSaved: (entry: TEntry) => void;
  /** Offers "Delete entry" in the sheet when given. */
  onDeleted?: (entry: TEntry) => void;
};

/**
 * Edits one entry in a modal sheet (a native <dialog>: it traps focus, closes on Escape and returns
 * focus to the button that opened it). On a phone it rises from the bottom of the screen.
 */
export function EditEntryDialog({ entry, ...props }: EditEntryProps & { entry: TEntry | null }) {
  const dialogRef = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (entry && !dialog.open) dialog.showModal();
    if (!entry && dialog.open) dialog.close();
  }, [entry]);

  return (
    <dialog ref={dialogRef} className="sheet" aria-labelledby="edit-entry-title" onClose={props.onClose}>
      {entry ? (
        <div className="sheet__inner">
          <div className="sheet__head">
            <h2 id="edit-entry-title" className="sheet__title">
              Edit entry
            </h2>
            <button type="button" className="icon-button" onClick={props.onClose} aria-label="Close">
              <Icon name="close" size={20} />
            </button>
          </div>
          {/* A different entry opened starts a fresh form from its values. */}
          <EditEntryForm key={entry.id} entry={entry} {...props} />
        </div>
      ) : null}
    </dialog>
  );
}

function EditEntryForm({ entry, categories, colors, schools, cycles, onClose, onSaved, onDeleted }: EditEntryProps & { entry: TEntry }) {
  const form = useEntryForm(entryToValues(entry));
  const [deleteError, setDeleteError] = useState<ApiError | null>(null);
  const [isDeleting, setIsDeleting] = useState(false);
  const [isConfirmingDelete, setIsConfirmingDelete] = useState(false);

  const remove = async () => {
    if (!onDeleted) return;
    setIsDeleting(true);
    setDeleteError(null);
    try {
      await coachingApi.deleteEntry(entry.id);
      onDeleted(entry);
    } catch (cause) {
      setDeleteError(asApiError(cause));
    } finally {
      setIsDeleting(false);
    }
  };

  // Schools the entry already names stay choosable even if the coach no longer works there.
  const schoolChoices = entry.school && !schools.some((s) => s.id === entry.school?.id) ? [...schools, entry.school] : schools;

  return (
    <>
      {deleteError ? <FormAlert error={deleteError} /> : null}
      <EntryForm
        form={form}
        onSubmit={async (values) => onSaved(await coachingApi.updateEntry(entry.id, valuesToRequest(values)))}
        categories={categories}
        colors={colors}
        schools={schoolChoices}
        cycles={cycles}
        submitLabel="Save changes"
        secondaryActions={
          <>
            <button type="button" className="button button--large" onClick={onClose}>
              Cancel
            </button>
            {onDeleted ? (
              isConfirmingDelete ? (
                <span className="sheet__confirm" role="group" aria-label="Confirm delete">
                  <span>Delete this entry?</span>
                  <button type="button" className="button button--danger" onClick={() => void remove()} disabled={isDeleting}>
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
    </>
  );
}
