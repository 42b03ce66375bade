import { useEffect, useId, useState } from "react";
import { SearchLimits } from "../../../shared/limits.js";
import { useDebouncedValue } from "../lib/hooks.js";
import { Icon } from "./Icon.js";

/** A search box that reports its value only after typing pauses, to spare the server. */
export function SearchInput({
  label,
  value,
  onSearch,
  placeholder,
  delayMs = 300,
}: {
  label: string;
  value: string;
  onSearch: (value: string) => void;
  placeholder?: string;
  delayMs?: number;
}) {
  const id = useId();
  const [text, setText] = useState(value);
  const [lastValue, setLastValue] = useState(value);
  const debounced = useDebouncedValue(text, delayMs);

  // Follow changes made elsewhere (e.g. "Clear filters"), without fighting the typist.
  if (value !== lastValue) {
    setLastValue(value);
    if (value !== text.trim()) setText(value);
  }

  useEffect(() => {
    if (debounced.trim() !== value) onSearch(debounced.trim());
    // Only a settled change in the typed text should search; `value` follows from it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced]);

  return (
    <div className="field field--search">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="search-input">
        <Icon name="search" size={16} />
        <input
          id={id}
          className="input"
          type="search"
          value={text}
          maxLength={SearchLimits.max}
          placeholder={placeholder}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter") onSearch(text.trim());
          }}
          autoComplete="off"
        />
      </div>
    </div>
  );
}
