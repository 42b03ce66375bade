import { useEffect, useId, useRef, useState, type KeyboardEvent, type Ref } from "react";
import { ROLES, STUDENT_ROLES, type Role } from "../../../../shared/roles.js";
import { directoryQueries } from "../directory/api.js";
import { keepPreviousData, useQueries } from "@tanstack/react-query";
import { Icon } from "../../components/Icon.js";
import { useUnfinishedInput } from "../../kits/form/Form.js";
import { useDebouncedValue } from "../../lib/hooks.js";
import "./PersonPicker.css";

export type PersonRef = { id: string; name: string };

const STAFF_ROLES: readonly Role[] = ROLES.filter((r) => !STUDENT_ROLES.includes(r));

/**
 * A type-ahead over the directory (the WAI-ARIA combobox pattern): typing searches people with one
 * role, arrow keys move through the suggestions, Enter picks one; picked people show as removable chips.
 */
export function PersonPicker({
  label,
  role,
  schoolId,
  value,
  onChange,
  isMultiple = true,
  maxSelected = 40,
  hint,
  error,
  isOptional,
  placeholder,
  noun = "teachers",
  name,
  ref,
}: {
  label: string;
  role?: Role;
  schoolId?: string;
  value: PersonRef[];
  onChange: (value: PersonRef[]) => void;
  isMultiple?: boolean;
  maxSelected?: number;
  hint?: string;
  error?: string;
  isOptional?: boolean;
  placeholder?: string;
  noun?: string;
  /** The form field it fills: inside a Form, a submit with a name typed but not picked is stopped there. */
  name?: string;
  /** The text box, so a form can focus the picker when it is the first invalid field. */
  ref?: Ref<HTMLInputElement>;
}) {
  const id = useId();
  const listId = `${id}-list`;
  const inputRef = useRef<HTMLInputElement>(null);
  const chipsRef = useRef<HTMLUListElement>(null);
  const focusChip = useRef(false);
  const [text, setText] = useState("");
  const [isOpen, setIsOpen] = useState(false);
  const [activeIndex, setActiveIndex] = useState(0);
  const query = useDebouncedValue(text.trim(), 250);
  const isFull = !isMultiple ? value.length >= 1 : value.length >= maxSelected;
  const typed = text.trim();
  useUnfinishedInput(name, typed && !isFull ? `“${typed}” is not added: pick them from the suggestions, or clear the text.` : null);

  const roles = role ? [role] : STAFF_ROLES;
  const searches = useQueries({
    queries: roles.map((r) => ({
      ...directoryQueries.people({ q: query || undefined, role: r, schoolId: schoolId || undefined, status: "active", limit: 8 }),
      enabled: isOpen,
      placeholderData: keepPreviousData,
    })),
  });
  const chosen = new Set(value.map((p) => p.id));
  const found = new Map(searches.flatMap((s) => s.data?.items ?? []).map((p) => [p.id, p]));
  const options = [...found.values()]
    .filter((p) => !chosen.has(p.id))
    .sort((a, b) => (roles.length > 1 ? a.displayName.localeCompare(b.displayName) : 0))
    .slice(0, 8)
    .map((p) => ({ id: p.id, name: p.displayName }));
  const isStale = query !== text.trim() || searches.some((s) => s.isFetching);
  const active = options[Math.min(activeIndex, options.length - 1)];

  const pick = (person: PersonRef) => {
    onChange(isMultiple ? [...value, person] : [person]);
    setText("");
    setActiveIndex(0);
    // Close the list so it does not cover what comes next; typing or the down arrow opens it again.
    setIsOpen(false);
    const willBeFull = !isMultiple || value.length + 1 >= maxSelected;
    if (!willBeFull) inputRef.current?.focus();
    // The text box goes away once the picker is full: focus the new chip's remove button (once the
    // chosen value comes back in, maybe through the URL), not the page.
    else focusChip.current = true;
  };
  useEffect(() => {
    if (!focusChip.current || value.length === 0) return;
    focusChip.current = false;
    chipsRef.current?.querySelector<HTMLButtonElement>("li:last-child button")?.focus();
  }, [value]);

  const remove = (person: PersonRef) => {
    onChange(value.filter((p) => p.id !== person.id));
    // Keep focus in the widget once the chip (and its button) is gone.
    requestAnimationFrame(() => inputRef.current?.focus());
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!isOpen) setIsOpen(true);
        else setActiveIndex((i) => (options.length === 0 ? 0 : (i + 1) % options.length));
        break;
      case "ArrowUp":
        event.preventDefault();
        setActiveIndex((i) => (options.length === 0 ? 0 : (i - 1 + options.length) % options.length));
        break;
      case "Enter":
        if (isOpen && active) {
          event.preventDefault();
          pick(active);
        }
        break;
      case "Escape":
        if (isOpen) {
          event.preventDefault();
          setIsOpen(false);
        }
        break;
      case "Backspace":
        if (text === "" && value.length > 0) {
          const last = value[value.length - 1];
          if (last) onChange(value.filter((p) => p.id !== last.id));
        }
        break;
      default:
        break;
    }
  };

  const status = !isOpen
    ? ""
    : isStale && options.length === 0
      ? "Searching…"
      : options.length === 0
        ? query
          ? `No ${noun} match “${query}”`
          : `No ${noun} to suggest`
        : `${options.length} suggestion${options.length === 1 ? "" : "s"}`;
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;

  return (
    <div className={`field person-picker${error ? " field--invalid" : ""}`}>
      <label className="field__label" htmlFor={id}>
        {label}
        {isOptional ? <span className="field__optional"> (optional)</span> : null}
      </label>
      {value.length > 0 ? (
        <ul ref={chipsRef} className="person-picker__chips" aria-label={`Chosen ${noun}`}>
          {value.map((person) => (
            <li key={person.id} className="chip">
              <span>{person.name}</span>
              <button type="button" className="chip__remove" onClick={() => remove(person)} aria-label={`Remove ${person.name}`}>
                <Icon name="close" size={14} />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {isFull ? null : (
        <div className="person-picker__box">
          <Icon name="search" size={16} />
          <input
            ref={(element) => {
              inputRef.current = element;
              if (typeof ref === "function") ref(element);
              else if (ref) ref.current = element;
            }}
            id={id}
            className="input"
            type="text"
            role="combobox"
            aria-expanded={isOpen}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={isOpen && active ? `${id}-opt-${active.id}` : undefined}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
            autoComplete="off"
            placeholder={placeholder}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              setActiveIndex(0);
              setIsOpen(true);
            }}
            onFocus={() => setIsOpen(true)}
            onClick={() => setIsOpen(true)}
            onBlur={() => setIsOpen(false)}
            onKeyDown={onKeyDown}
          />
          <ul id={listId} role="listbox" aria-label={`Suggested ${noun}`} className="person-picker__list" hidden={!isOpen || options.length === 0}>
            {options.map((person, index) => (
              <li
                key={person.id}
                id={`${id}-opt-${person.id}`}
                role="option"
                aria-selected={person.id === active?.id}
                className={`person-picker__option${person.id === active?.id ? " is-active" : ""}`}
                // Pick on mousedown so the input's blur does not close the list first.
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(person);
                }}
                onMouseEnter={() => setActiveIndex(index)}
              >
                {person.name}
              </li>
            ))}
          </ul>
        </div>
      )}
      <span className="visually-hidden" role="status" aria-live="polite">
        {status}
      </span>
      {isOpen && options.length === 0 && !isStale ? <p className="person-picker__empty">{status}</p> : null}
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
