import { useRef, useState } from "react";
import { z } from "zod";
import { TokenLimits } from "../../../../shared/limits.js";
import { TOKEN_SCOPES, ZCreateApiTokenRequest } from "../../../../shared/schemas/auth.js";
import { asApiError, type ApiError } from "../../api/client.js";
import { meApi, profileKeys, profileQueries, type TApiToken, type TCreatedApiToken } from "./api.js";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { EmptyState, ErrorState, FormAlert, Spinner } from "../../components/Feedback.js";
import { Icon } from "../../components/Icon.js";
import { formatDate } from "../../lib/format.js";
import { DataTable, type Column } from "../../kits/DataTable.js";
import { Form, FormSelectField, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { useMe } from "../../lib/session.js";

const EXPIRY_OPTIONS = [
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
];

const SCOPE_OPTIONS = [
  { value: "read_write", label: "Read and write" },
  { value: "read", label: "Read only" },
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
    { id: "scope", header: "Access", cell: (token) => (token.scope === "read" ? "Read only" : "Read and write") },
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

/** The form's values: the expiry is the select's text ("90", "never"), turned into days for the API. */
const ZCreateTokenForm = z
  .object({ name: ZCreateApiTokenRequest.shape.name, expiry: z.string(), scope: z.enum(TOKEN_SCOPES) })
  .transform(({ name, expiry, scope }) => ({ name, expiresInDays: Number(expiry), scope }));

function CreateTokenForm({ isAtLimit, onCreated }: { isAtLimit: boolean; onCreated: (token: TCreatedApiToken) => void }) {
  const form = useZodForm(ZCreateTokenForm, { name: "", expiry: "90", scope: "read_write" });

  const onSubmit = async (body: z.output<typeof ZCreateTokenForm>) => {
    const token = await meApi.createToken(body);
    onCreated(token);
    form.reset({ name: "", expiry: form.getValues("expiry"), scope: form.getValues("scope") });
  };

  return (
    <Form form={form} onSubmit={onSubmit} className="form form--panel form--inline-panel" heading={<h3 className="form__title">Create a token</h3>}>
      {isAtLimit ? (
        <p className="field__hint">You have {TokenLimits.maxPerPerson} tokens, the most allowed. Revoke one to create another.</p>
      ) : null}
      <div className="form-row form-row--end">
        <FormTextField
          name="name"
          label="Name"
          hint="What will use it, e.g. “Nightly roster sync”."
          maxLength={TokenLimits.maxNameLength}
          autoComplete="off"
          required
        />
        <FormSelectField name="expiry" label="Expires after" options={EXPIRY_OPTIONS} hint="At most the district's longest token lifetime." />
        <FormSelectField name="scope" label="Access" options={SCOPE_OPTIONS} />
      </div>
      <div className="form__actions">
        <SubmitButton label="Create token" pendingLabel="Creating…" isDisabled={isAtLimit} />
      </div>
    </Form>
  );
}
