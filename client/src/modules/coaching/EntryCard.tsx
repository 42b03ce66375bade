import { useState } from "react";
import { Link } from "react-router-dom";
import type { TEntry } from "../../../../shared/schemas/coaching.js";
import { asApiError } from "../../api/client.js";
import { coachingApi } from "./api.js";
import { Icon } from "../../components/Icon.js";
import { formatMinutes, KIND_LABELS } from "./format.js";

/** One logged activity as a card: what, how long, where, with whom; edit and delete when it is yours. */
export function EntryCard({
  entry,
  color,
  onEdit,
  onDeleted,
  isEditable = true,
  showDate,
  hasCycleLink = true,
}: {
  entry: TEntry;
  color: string | undefined;
  onEdit?: (entry: TEntry) => void;
  onDeleted?: (entry: TEntry) => void;
  isEditable?: boolean;
  showDate?: string;
  hasCycleLink?: boolean;
}) {
  const [isConfirming, setIsConfirming] = useState(false);
  const [isDeleting, setIsDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const remove = async () => {
    setIsDeleting(true);
    setError(null);
    try {
      await coachingApi.deleteEntry(entry.id);
      onDeleted?.(entry);
    } catch (cause) {
      setError(asApiError(cause).message);
      setIsDeleting(false);
    }
  };

  return (
    <li className={`entry-card entry-card--${entry.category.kind}`}>
      <span className="entry-card__bar" style={{ background: color }} aria-hidden="true" />
      <div className="entry-card__body">
        <div className="entry-card__head">
          <span className="entry-card__category">{entry.category.name}</span>
          <span className="entry-card__minutes">{formatMinutes(entry.minutes)}</span>
        </div>
        <p className="entry-card__meta">
          {showDate ? <span>{showDate}</span> : null}
          <span className={`kind-tag kind-tag--${entry.category.kind}`}>{KIND_LABELS[entry.category.kind]}</span>
          {entry.school ? <span>{entry.school.name}</span> : null}
          {entry.teachers.length > 0 ? <span>{entry.teachers.map((t) => t.name).join(", ")}</span> : null}
          {entry.cycleId && hasCycleLink ? (
            <Link to={`/coaching/cycles/${encodeURIComponent(entry.cycleId)}`} className="entry-card__cycle">
              Coaching cycle
            </Link>
          ) : null}
        </p>
        {entry.notes ? <p className="entry-card__notes">{entry.notes}</p> : null}
        {error ? (
          <p className="field__error" role="alert">
            {error}
          </p>
        ) : null}
        {isEditable ? (
          isConfirming ? (
            <div className="entry-card__confirm" role="group" aria-label="Confirm delete">
              <span>Delete this entry?</span>
              <button type="button" className="button button--small button--danger" onClick={() => void remove()} disabled={isDeleting}>
                {isDeleting ? "Deleting…" : "Delete"}
              </button>
              {/* Focus lands on the safe choice when the question appears. */}
              <button type="button" className="button button--small" onClick={() => setIsConfirming(false)} disabled={isDeleting} autoFocus>
                Keep
              </button>
            </div>
          ) : (
            <div className="entry-card__actions">
              {onEdit ? (
                <button
                  type="button"
                  className="button button--small button--ghost"
                  onClick={() => onEdit(entry)}
                  aria-label={`Edit ${entry.category.name}, ${formatMinutes(entry.minutes)}`}
                >
                  Edit
                </button>
              ) : null}
              <button
                type="button"
                className="button button--small button--ghost button--danger-quiet"
                onClick={() => setIsConfirming(true)}
                aria-label={`Delete ${entry.category.name}, ${formatMinutes(entry.minutes)}`}
              >
                <Icon name="trash" size={15} />
                Delete
              </button>
            </div>
          )
        ) : null}
      </div>
    </li>
  );
}
