import { useId, useState } from "react";

/** An address of a public page (no sign-in) to copy and share, with a link to open it. */
export function ShareLink({ path, label, openLabel }: { path: string; label: string; openLabel: string }) {
  const url = `${location.origin}${path}`;
  const id = useId();
  const [copied, setCopied] = useState(false);
  return (
    <div className="chat-share">
      <label htmlFor={id}>{label}</label>
      <input id={id} readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
      <button
        type="button"
        className="button button--small"
        onClick={() => {
          void navigator.clipboard?.writeText(url).then(() => setCopied(true), () => undefined);
        }}
      >
        {copied ? "Copied" : "Copy link"}
      </button>
      <a href={url} target="_blank" rel="noopener">
        {openLabel}
      </a>
    </div>
  );
}
