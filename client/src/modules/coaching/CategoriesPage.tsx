import { useState, type FormEvent } from "react";
import { CATEGORY_KINDS, ZCreateCategoryRequest, type CategoryKind, type TCategory } from "../../../../shared/schemas/coaching.js";
import { asApiError, type ApiError } from "../../api/client.js";
import { coachingApi, type TCreateCategoryRequest } from "./api.js";
import { ErrorState, FormAlert, PageHeader, Spinner } from "../../components/Feedback.js";
import { SelectField, TextField } from "../../components/Field.js";
import { Icon } from "../../components/Icon.js";
import { Form, FormSelectField, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { useCategories } from "./data.js";
import { KIND_LABELS } from "./format.js";

const KIND_OPTIONS = CATEGORY_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }));
const parseKind = (value: string): CategoryKind => CATEGORY_KINDS.find((k) => k === value) ?? "coaching";

/**
 * The district's activity categories (district admins): rename, mark as coaching or support, reorder,
 * retire and restore. Entries keep pointing at a retired category, so history is never rewritten.
 */
export function CategoriesPage() {
  useDocumentTitle("Coaching categories");
  const { categories, colors, error, isLoading, reload, setCategories } = useCategories();
  const [status, setStatus] = useState<string | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const replace = (updated: TCategory[]) => {
    const byId = new Map(updated.map((c) => [c.id, c]));
    const next = categories.map((c) => byId.get(c.id) ?? c).sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name));
    setCategories(next);
  };

  const patch = async (category: TCategory, body: Parameters<typeof coachingApi.updateCategory>[1], message: string) => {
    setBusyId(category.id);
    setActionError(null);
    try {
      replace([await coachingApi.updateCategory(category.id, body)]);
      setStatus(message);
    } catch (cause) {
      setActionError(asApiError(cause));
    } finally {
      setBusyId(null);
    }
  };

  /** Moves a category one place up or down, renumbering the order in tens so later inserts have room. */
  const move = async (index: number, delta: -1 | 1) => {
    const order = [...categories];
    const [item] = order.splice(index, 1);
    if (!item) return;
    order.splice(index + delta, 0, item);
    const changes = order.flatMap((c, i) => ((i + 1) * 10 !== c.sortOrder ? [{ c, sortOrder: (i + 1) * 10 }] : []));
    setBusyId(item.id);
    setActionError(null);
    try {
      const updated = [];
      for (const change of changes) updated.push(await coachingApi.updateCategory(change.c.id, { sortOrder: change.sortOrder }));
      replace(updated);
      setStatus(`Moved ${item.name} ${delta < 0 ? "up" : "down"} to position ${index + delta + 1}.`);
    } catch (cause) {
      setActionError(asApiError(cause));
      reload();
    } finally {
      setBusyId(null);
    }
  };

  return (
    <>
      <PageHeader
        title="Coaching categories"
        description="What coaches choose from when they log an activity. Coaching categories count toward the coaching share; support categories toward support."
      />
      <div className="log-status" role="status" aria-live="polite">
        {status ? <p className="log-status__notice">{status}</p> : null}
      </div>
      <FormAlert error={actionError} />

      {error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : isLoading && categories.length === 0 ? (
        <Spinner label="Loading categories…" />
      ) : (
        <ol className="category-list">
          {categories.map((category, index) => (
            <CategoryRow
              key={category.id}
              category={category}
              color={colors.get(category.id)}
              isFirst={index === 0}
              isLast={index === categories.length - 1}
              isBusy={busyId !== null}
              onMove={(delta) => void move(index, delta)}
              onPatch={(body, message) => patch(category, body, message)}
            />
          ))}
        </ol>
      )}

      <AddCategoryForm
        onAdded={(category) => {
          setCategories([...categories, category]);
          setStatus(`Added ${category.name}.`);
        }}
      />
    </>
  );
}

function CategoryRow({
  category,
  color,
  isFirst,
  isLast,
  isBusy,
  onMove,
  onPatch,
}: {
  category: TCategory;
  color: string | undefined;
  isFirst: boolean;
  isLast: boolean;
  isBusy: boolean;
  onMove: (delta: -1 | 1) => void;
  onPatch: (body: { name?: string; kind?: CategoryKind; status?: "active" | "retired" }, message: string) => Promise<void>;
}) {
  const [name, setName] = useState(category.name);
  const [kind, setKind] = useState<CategoryKind>(category.kind);
  const [shown, setShown] = useState(category);
  const isRetired = category.status === "retired";

  // Follow the saved category when it changes (after a save here or a reload).
  if (shown !== category) {
    setShown(category);
    setName(category.name);
    setKind(category.kind);
  }
  const isDirty = name.trim() !== category.name || kind !== category.kind;

  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!name.trim()) return;
    const body: { name?: string; kind?: CategoryKind } = {};
    if (name.trim() !== category.name) body.name = name.trim();
    if (kind !== category.kind) body.kind = kind;
    void onPatch(body, `Saved ${name.trim()}.`);
  };

  return (
    <li className={`category-row${isRetired ? " is-retired" : ""}`}>
      <div className="category-row__order">
        <button type="button" className="icon-button" onClick={() => onMove(-1)} disabled={isFirst || isBusy} aria-label={`Move ${category.name} up`}>
          <Icon name="chevronLeft" size={18} className="icon--up" />
        </button>
        <button type="button" className="icon-button" onClick={() => onMove(1)} disabled={isLast || isBusy} aria-label={`Move ${category.name} down`}>
          <Icon name="chevronRight" size={18} className="icon--down" />
        </button>
      </div>
      <span className="category-row__swatch" style={{ background: color }} aria-hidden="true" />
      <form className="category-row__form" onSubmit={save} aria-label={`Edit ${category.name}`}>
        <TextField label="Name" value={name} onChange={setName} maxLength={80} fieldClassName="category-row__name" />
        <SelectField label="Counts as" value={kind} onChange={(v) => setKind(parseKind(v))} options={KIND_OPTIONS} fieldClassName="category-row__kind" />
        <div className="category-row__actions">
          {isDirty ? (
            <button type="submit" className="button button--small button--primary" disabled={isBusy || !name.trim()}>
              Save
            </button>
          ) : null}
          {isRetired ? <span className="badge badge--inactive">Retired</span> : null}
          <button
            type="button"
            className={`button button--small${isRetired ? "" : " button--danger-quiet"}`}
            disabled={isBusy}
            onClick={() =>
              void onPatch(
                { status: isRetired ? "active" : "retired" },
                isRetired ? `Restored ${category.name}: coaches can choose it again.` : `Retired ${category.name}: past entries keep it; new ones cannot use it.`,
              )
            }
          >
            {isRetired ? "Restore" : "Retire"}
          </button>
        </div>
      </form>
      {kind !== category.kind ? (
        <p className="category-row__warning">
          Changing the kind recounts every past entry of this category as {KIND_LABELS[kind].toLowerCase()} on the dashboards.
        </p>
      ) : null}
    </li>
  );
}

function AddCategoryForm({ onAdded }: { onAdded: (category: TCategory) => void }) {
  const form = useZodForm(ZCreateCategoryRequest, { name: "", kind: "coaching" });

  const onSubmit = async (body: TCreateCategoryRequest) => {
    onAdded(await coachingApi.createCategory(body));
    form.reset({ name: "", kind: body.kind });
  };

  return (
    <Form
      form={form}
      onSubmit={onSubmit}
      className="form form--panel add-category"
      aria-labelledby="add-category-title"
      heading={
        <h2 id="add-category-title" className="form__title">
          Add a category
        </h2>
      }
    >
      <div className="form-row">
        <FormTextField name="name" label="Name" maxLength={80} />
        <FormSelectField name="kind" label="Counts as" options={KIND_OPTIONS} />
      </div>
      <div className="form__actions">
        <SubmitButton label="Add category" pendingLabel="Adding…" />
      </div>
    </Form>
  );
}
