import { useRef, useState, type FormEvent } from "react";
import { TokenLimits } from "../../../../shared/limits.js";
import { ZCreateApiTokenRequest } from "../../../../shared/schemas/auth.js";
import { ApiError, asApiError, type FieldErrors } from "../../api/client.js";
import { meApi, profileKeys, profileQueries, type TApiToken, type TCreatedApiToken } from "./api.js";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { EmptyState, ErrorState, FormAlert, Spinner } from "../../components/Feedback.js";
import { SelectField, TextField } from "../../components/Field.js";
import { Icon } from "../../components/Icon.js";
import { formatDate } from "../../lib/format.js";
import { DataTable, type Column } from "../../kits/DataTable.js";
import { useMe } from "../../lib/session.js";
import { focusFirstInvalid, hasErrors, validate } from "../../lib/validate.js";

const EXPIRY_OPTIONS = [
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "never", label: "Never" },
];

/** Personal API tokens: list, create (the secret is shown once) and revoke. */
export function ApiTokensSection({ headingLevel = 2 }: { headingLevel?: 2 | 3 }) {
  const me = useMe();
  const tokens = useQuery(profileQueries.tokens());
  const queryClient = useQueryClient();
  const setTokens = (items: TApiToken[]) => queryClient.setQueryData(profileKeys.tokens(), { items });
  const [created, setCreated] = useState<TCreatedApiToken | null>(null);
  const items = tokens.data?.items ?? [];
  const Heading = headingLevel === 2 ? "h2" : "h3";

  return (
    <section className="section section--narrow" aria-labelledby="api-tokens-title">
      <div className="section__header">
        <Heading id="api-tokens-title" className="section__title">
          API tokens
        </Heading>
      </div>
      <p className="section__description">
        Tokens let scripts and integrations use the Coachwork API as you, with your access. Send one as{" "}
        <code>Authorization: Bearer &lt;token&gt;</code>. Treat them like passwords.
      </p>

      {created ? <CreatedToken token={created} onDone={() => setCreated(null)} /> : null}

      {tokens.error ? (
        <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : !tokens.data ? (
        <Spinner label="Loading tokens…" />
      ) : items.length === 0 ? (
        <EmptyState isCompact title="No tokens yet">Create one below when a script or integration needs API access.</EmptyState>
      ) : (
        <TokenList
          tokens={items}
          timeZone={me.district.timezone}
          onRevoked={(id) => setTokens(items.filter((t) => t.id !== id))}
        />
      )}

      <CreateTokenForm
        isAtLimit={items.length >= TokenLimits.maxPerPerson}
        onCreated={(token) => {
          setCreated(token);
          const { token: _secret, ...listed } = token;
          setTokens([listed, ...items]);
        }}
      />
    </section>
  );
}

function TokenList({
  tokens,
  timeZone,
  onRevoked,
}: {
  tokens: TApiToken[];
  timeZone: string;
  onRevoked: (id: string) => void;
}) {
  const [confirmingId, setConfirmingId] = useState<string | null>(null);
  const [revokingId, setRevokingId] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const revoke = async (id: string) => {
    setRevokingId(id);
    setError(null);
    try {
      await meApi.deleteToken(id);
      onRevoked(id);
      setConfirmingId(null);
    } catch (cause) {
      setError(asApiError(cause));
    } finally {
      setRevokingId(null);
    }
  };

  const isExpired = (token: TApiToken) => token.expiresAt !== null && new Date(token.expiresAt).getTime() < Date.now();
  const columns: Column<TApiToken>[] = [
    {
      id: "name",
      header: "Name",
      isPrimary: true,
      sortValue: (token) => token.name,
      cell: (token) => (
        <span className="token-list__name">
          <Icon name="key" size={16} />
          {token.name}
          {isExpired(token) ? <span className="badge badge--inactive">Expired</span> : null}
        </span>
      ),
    },
    { id: "prefix", header: "Token", className: "cell-mono", cell: (token) => <code>{token.prefix}…</code> },
    { id: "created", header: "Created", sortValue: (token) => token.createdAt, cell: (token) => formatDate(token.createdAt, timeZone) },
    {
      id: "lastUsed",
      header: "Last used",
      sortValue: (token) => token.lastUsedAt,
      cell: (token) => (token.lastUsedAt ? formatDate(token.lastUsedAt, timeZone) : "Never used"),
    },
    {
      id: "expires",
      header: "Expires",
      sortValue: (token) => token.expiresAt,
      cell: (token) => (token.expiresAt ? formatDate(token.expiresAt, timeZone) : "Never expires"),
    },
    {
      id: "actions",
      header: "Actions",
      cell: (token) => (
        <div className="token-list__actions">
          {confirmingId === token.id ? (
            <>
              <button
                type="button"
                className="button button--danger button--small"
                onClick={() => void revoke(token.id)}
                disabled={revokingId === token.id}
              >
                {revokingId === token.id ? "Revoking…" : "Revoke now"}
              </button>
              <button type="button" className="button button--ghost button--small" onClick={() => setConfirmingId(null)}>
                Cancel
              </button>
            </>
          ) : (
            <button
              type="button"
              className="button button--danger-quiet button--small"
              onClick={() => setConfirmingId(token.id)}
              aria-label={`Revoke ${token.name}`}
            >
              Revoke
            </button>
          )}
        </div>
      ),
    },
  ];

  return (
    <>
      <FormAlert error={error} />
      <DataTable rows={tokens} columns={columns} rowKey={(token) => token.id} caption="Your API tokens" />
    </>
  );
}

function CreatedToken({ token, onDone }: { token: TCreatedApiToken; onDone: () => void }) {
  const [copyState, setCopyState] = useState<"idle" | "copied" | "failed">("idle");
  const inputRef = useRef<HTMLInputElement>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopyState("copied");
    } catch {
      // Clipboard access can be refused (e.g. plain HTTP); select the text so Ctrl+C works.
      inputRef.current?.select();
      setCopyState("failed");
    }
  };

  return (
    <div className="created-token" role="region" aria-labelledby="created-token-title">
      <h3 id="created-token-title" className="created-token__title">
        <Icon name="check" size={18} />
        Token “{token.name}” created
      </h3>
      <p className="created-token__text">Copy it now. For your security it will not be shown again.</p>
      <div className="copy-field">
        <label className="visually-hidden" htmlFor="created-token-value">
          New API token
        </label>
        <input
          ref={inputRef}
          id="created-token-value"
          className="input input--mono"
          value={token.token}
          readOnly
          onFocus={(event) => event.target.select()}
        />
        <button type="button" className="button" onClick={() => void copy()}>
          <Icon name={copyState === "copied" ? "check" : "copy"} size={16} />
          {copyState === "copied" ? "Copied" : "Copy"}
        </button>
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {copyState === "copied" ? "Token copied to the clipboard" : copyState === "failed" ? "Copy failed; the token is selected, press Control C" : ""}
      </p>
      {copyState === "failed" ? (
        <p className="field__hint">Your browser blocked the clipboard. The token is selected: press Ctrl+C (⌘C on a Mac).</p>
      ) : null}
      <button type="button" className="button button--ghost button--small" onClick={onDone}>
        I have copied it
      </button>
    </div>
  );
}

function CreateTokenForm({ isAtLimit, onCreated }: { isAtLimit: boolean; onCreated: (token: TCreatedApiToken) => void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState("90");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiError | string | null>(null);
  const [isSubmitting, setIsSubmitting] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = { name: name.trim(), expiresInDays: expiry === "never" ? null : Number(expiry) };
    const clientErrors = validate(ZCreateApiTokenRequest, body);
    setFieldErrors(clientErrors);
    if (hasErrors(clientErrors)) {
      setError("Please fix the highlighted fields.");
      focusFirstInvalid(formRef.current);
      return;
    }
    setError(null);
    setIsSubmitting(true);
    try {
      const token = await meApi.createToken(body);
      onCreated(token);
      setName("");
    } catch (cause) {
      const apiError = asApiError(cause);
      setFieldErrors(apiError.fieldErrors);
      setError(apiError);
    } finally {
      setIsSubmitting(false);
    }
  };

  return (
    <form ref={formRef} className="form form--panel form--inline-panel" onSubmit={onSubmit} noValidate>
      <h3 className="form__title">Create a token</h3>
      <FormAlert error={error} hasFieldErrors={hasErrors(fieldErrors)} />
      {isAtLimit ? (
        <p className="field__hint">You have {TokenLimits.maxPerPerson} tokens, the most allowed. Revoke one to create another.</p>
      ) : null}
      <div className="form-row form-row--end">
        <TextField
          label="Name"
          value={name}
          onChange={setName}
          error={fieldErrors.name}
          hint="What will use it, e.g. “Nightly roster sync”."
          maxLength={TokenLimits.maxNameLength}
          autoComplete="off"
          required
        />
        <SelectField
          label="Expires after"
          value={expiry}
          onChange={setExpiry}
          options={EXPIRY_OPTIONS}
          error={fieldErrors.expiresInDays}
        />
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={isSubmitting || isAtLimit}>
          {isSubmitting ? "Creating…" : "Create token"}
        </button>
      </div>
    </form>
  );
}
