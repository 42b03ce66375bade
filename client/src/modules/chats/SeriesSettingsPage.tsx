import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo } from "react";
import { useController, useFieldArray, useFormContext, useWatch } from "react-hook-form";
import { useNavigate, useParams } from "react-router-dom";
import { z } from "zod";
import type { TFieldIssue } from "../../../../shared/errors.js";
import { CHAT_WEEKDAYS, ChatLimits, type TChatSeries, type TUpdateSeriesRequest } from "../../../../shared/schemas/chats.js";
import { ApiError, asApiError } from "../../api/client.js";
import { ErrorState, PageHeader, Spinner } from "../../components/Feedback.js";
import { Form, FormCheckboxField, FormSelectField, FormTextAreaField, FormTextField, SubmitButton, useZodForm } from "../../kits/form/Form.js";
import { useDocumentTitle } from "../../lib/hooks.js";
import { directoryQueries } from "../directory/api.js";
import { chatKeys, chatQueries, chatsApi } from "./api.js";
import { FormPersonPicker } from "./FormPersonPicker.js";
import "./chats.css";

const WEEKDAY_LABEL: Record<(typeof CHAT_WEEKDAYS)[number], string> = { MO: "Monday", TU: "Tuesday", WE: "Wednesday", TH: "Thursday", FR: "Friday", SA: "Saturday", SU: "Sunday" };
const ZPerson = z.object({ id: z.string(), name: z.string() });
const ZOptionalUrl = z.string().trim().max(300);
const isHttpUrl = (s: string) => /^https?:\/\/[^\s/]+/i.test(s);

const ZSettingsForm = z
  .object({
    name: z.string().trim().min(1, "Name the chat").max(120),
    hashtag: z.string().trim().regex(/^#?[A-Za-z][A-Za-z0-9_]{1,49}$/, "Letters, digits and _ (e.g. #iiCHAT)"),
    description: z.string().max(2000),
    audience: z.enum(["public", "district", "schools"]),
    audienceSchoolIds: z.array(z.string()).max(200),
    frequency: z.enum(["weekly", "biweekly", "monthly", "once"]),
    weekday: z.enum(CHAT_WEEKDAYS),
    startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM, 24-hour"),
    timeZone: z.string().trim().min(1, "Name a time zone (e.g. America/New_York)"),
    startsOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Pick a date"),
    until: z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, "Pick a date or leave it empty"),
    durationMinutes: z.string().regex(/^\d+$/, "Minutes, a whole number"),
    welcomeText: z.string().max(ChatLimits.maxPostLength),
    guideText: z.string().max(4000),
    moderators: z.array(ZPerson).min(1, "A chat needs at least one moderator").max(20),
    coModerators: z.array(ZPerson).max(20),
    reminderEmail: z.boolean(),
    webhooks: z
      .array(
        z.object({
          id: z.string(),
          label: z.string().trim().min(1, "Name the webhook").max(80),
          url: z.string().trim().max(500).refine(isHttpUrl, "An http(s) address"),
          hasSecret: z.boolean(),
          secret: z.string().max(200).refine((s) => s === "" || s.length >= 16, "At least 16 characters, or leave it empty"),
          clearSecret: z.boolean(),
        }),
      )
      .max(ChatLimits.maxWebhooks),
    mastodonOn: z.boolean(),
    mastodonUrl: ZOptionalUrl,
    mastodonHasToken: z.boolean(),
    mastodonToken: z.string().max(500),
    blueskyOn: z.boolean(),
    blueskyService: ZOptionalUrl,
    blueskyIdentifier: z.string().trim().max(200),
    blueskyHasPassword: z.boolean(),
    blueskyPassword: z.string().max(200),
  })
  .superRefine((v, ctx) => {
    if (v.audience === "schools" && v.audienceSchoolIds.length === 0) ctx.addIssue({ code: "custom", path: ["audienceSchoolIds"], message: "Pick at least one school" });
    if (v.mastodonOn && !isHttpUrl(v.mastodonUrl)) ctx.addIssue({ code: "custom", path: ["mastodonUrl"], message: "The server's address, e.g. https://mastodon.social" });
    if (v.mastodonOn && !v.mastodonHasToken && !v.mastodonToken) ctx.addIssue({ code: "custom", path: ["mastodonToken"], message: "Paste an access token" });
    if (v.blueskyOn && !isHttpUrl(v.blueskyService)) ctx.addIssue({ code: "custom", path: ["blueskyService"], message: "The service's address, e.g. https://bsky.social" });
    if (v.blueskyOn && !v.blueskyIdentifier) ctx.addIssue({ code: "custom", path: ["blueskyIdentifier"], message: "The account's handle" });
    if (v.blueskyOn && !v.blueskyHasPassword && !v.blueskyPassword) ctx.addIssue({ code: "custom", path: ["blueskyPassword"], message: "Paste an app password" });
  });
type SettingsForm = z.infer<typeof ZSettingsForm>;

function toForm(s: TChatSeries): SettingsForm {
  const people = (role: "moderator" | "co_moderator") => s.moderators.filter((m) => m.role === role).map((m) => ({ id: m.personId, name: m.name }));
  return {
    name: s.name,
    hashtag: s.hashtag,
    description: s.description,
    audience: s.audience,
    audienceSchoolIds: s.audienceSchoolIds,
    frequency: s.recurrence.frequency,
    weekday: s.recurrence.weekday,
    startTime: s.recurrence.startTime,
    timeZone: s.recurrence.timeZone,
    startsOn: s.recurrence.startsOn,
    until: s.recurrence.until ?? "",
    durationMinutes: String(s.durationMinutes),
    welcomeText: s.welcomeText,
    guideText: s.guideText,
    moderators: people("moderator"),
    coModerators: people("co_moderator"),
    reminderEmail: s.reminderEmail,
    webhooks: s.webhooks.map((w) => ({ id: w.id, label: w.label, url: w.url, hasSecret: w.hasSecret, secret: "", clearSecret: false })),
    mastodonOn: s.crosspost.mastodon !== null,
    mastodonUrl: s.crosspost.mastodon?.instanceUrl ?? "",
    mastodonHasToken: s.crosspost.mastodon?.hasToken ?? false,
    mastodonToken: "",
    blueskyOn: s.crosspost.bluesky !== null,
    blueskyService: s.crosspost.bluesky?.service ?? "https://bsky.social",
    blueskyIdentifier: s.crosspost.bluesky?.identifier ?? "",
    blueskyHasPassword: s.crosspost.bluesky?.hasPassword ?? false,
    blueskyPassword: "",
  };
}

/** The request: secrets only when typed (left out, the server keeps them; null clears a webhook's). */
function toRequest(v: SettingsForm): TUpdateSeriesRequest {
  return {
    name: v.name,
    hashtag: v.hashtag,
    description: v.description,
    audience: v.audience,
    audienceSchoolIds: v.audience === "schools" ? v.audienceSchoolIds : [],
    recurrence: { frequency: v.frequency, weekday: v.weekday, startTime: v.startTime, timeZone: v.timeZone, startsOn: v.startsOn, until: v.until || null },
    durationMinutes: Number(v.durationMinutes),
    welcomeText: v.welcomeText,
    guideText: v.guideText,
    moderatorIds: v.moderators.map((p) => p.id),
    coModeratorIds: v.coModerators.map((p) => p.id),
    reminderEmail: v.reminderEmail,
    webhooks: v.webhooks.map((w) => ({
      ...(w.id ? { id: w.id } : {}),
      label: w.label,
      url: w.url,
      ...(w.secret ? { secret: w.secret } : w.clearSecret ? { secret: null } : {}),
    })),
    crosspost: {
      mastodon: v.mastodonOn ? { instanceUrl: v.mastodonUrl, ...(v.mastodonToken ? { accessToken: v.mastodonToken } : {}) } : null,
      bluesky: v.blueskyOn ? { service: v.blueskyService, identifier: v.blueskyIdentifier, ...(v.blueskyPassword ? { appPassword: v.blueskyPassword } : {}) } : null,
    },
  };
}

/** The API's paths onto this form's fields ("body.recurrence.startTime" is "startTime"). */
function adaptIssues(issues: TFieldIssue[]): TFieldIssue[] {
  const renames: [RegExp, string][] = [
    [/^body\.recurrence\./, "body."],
    [/^body\.moderatorIds/, "body.moderators"],
    [/^body\.coModeratorIds/, "body.coModerators"],
    [/^body\.crosspost\.mastodon\.instanceUrl/, "body.mastodonUrl"],
    [/^body\.crosspost\.mastodon\.accessToken/, "body.mastodonToken"],
    [/^body\.crosspost\.bluesky\.service/, "body.blueskyService"],
    [/^body\.crosspost\.bluesky\.identifier/, "body.blueskyIdentifier"],
    [/^body\.crosspost\.bluesky\.appPassword/, "body.blueskyPassword"],
  ];
  return issues.map((i) => ({ ...i, path: renames.reduce((path, [from, to]) => path.replace(from, to), i.path) }));
}

/** A series' settings, for its moderators: the chat, its schedule, its hosts, reminders and cross-posting. */
export function SeriesSettingsPage() {
  const { id = "" } = useParams();
  const series = useQuery(chatQueries.oneSeries(id));
  useDocumentTitle(series.data ? `Settings: ${series.data.name}` : null);
  if (series.isPending) return <Spinner label="Loading the chat…" />;
  if (series.isError) return <ErrorState error={asApiError(series.error)} onRetry={() => void series.refetch()} />;
  if (!series.data.abilities.canManage) {
    return <ErrorState error={new ApiError({ status: 403, code: "forbidden", message: "Only the chat's moderators (and district admins) change its settings." })} />;
  }
  return <SettingsForm key={series.data.id} series={series.data} />;
}

function SettingsForm({ series }: { series: TChatSeries }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const initial = useMemo(() => toForm(series), [series]);
  const form = useZodForm(ZSettingsForm, initial);
  const onSubmit = async (v: SettingsForm) => {
    const saved = await chatsApi.updateSeries(series.id, toRequest(v));
    queryClient.setQueryData(chatKeys.oneSeries(series.id), saved);
    await queryClient.invalidateQueries({ queryKey: chatKeys.all });
    void navigate(`/chats/series/${series.id}`);
  };
  return (
    <div className="chats-page chat-settings">
      <PageHeader title="Chat settings" description={`${series.name} ${series.hashtag}`} breadcrumb={{ to: `/chats/series/${series.id}`, label: series.name }} />
      <Form form={form} onSubmit={onSubmit} adaptServerIssues={adaptIssues}>
        <section className="panel" aria-labelledby="settings-chat">
          <h2 id="settings-chat" className="panel__title">
            The chat
          </h2>
          <div className="chat-create__grid">
            <FormTextField name="name" label="Name" autoComplete="off" />
            <FormTextField name="hashtag" label="Hashtag" autoComplete="off" />
          </div>
          <FormTextAreaField name="description" label="Description" isOptional rows={2} />
          <FormSelectField
            name="audience"
            label="Who can join"
            options={[
              { value: "public", label: "Public: anyone can join with a name and email" },
              { value: "district", label: "Everyone on staff in the district" },
              { value: "schools", label: "Staff of chosen schools" },
            ]}
          />
          <AudienceSchools />
          <FormTextAreaField name="welcomeText" label="Welcome message" hint="Posted when the room opens." rows={2} />
          <FormTextAreaField name="guideText" label="First-timer's guide" hint="Shown in the room's side panel." rows={3} />
        </section>

        <section className="panel" aria-labelledby="settings-schedule">
          <h2 id="settings-schedule" className="panel__title">
            Schedule
          </h2>
          <p className="chat-muted">A new schedule moves the chats that have not opened yet; a room already open (or past) stays as it was.</p>
          <div className="chat-create__grid">
            <FormSelectField
              name="frequency"
              label="How often"
              options={[
                { value: "weekly", label: "Every week" },
                { value: "biweekly", label: "Every other week" },
                { value: "monthly", label: "Once a month" },
                { value: "once", label: "Just once" },
              ]}
            />
            <FormSelectField name="weekday" label="Day" options={CHAT_WEEKDAYS.map((d) => ({ value: d, label: WEEKDAY_LABEL[d] }))} />
            <FormTextField name="startTime" label="Time" type="time" />
            <TimeZoneField />
            <FormTextField name="startsOn" label="Starting" type="date" />
            <FormTextField name="until" label="Ending" type="date" isOptional />
            <FormTextField name="durationMinutes" label="Length (minutes)" inputMode="numeric" hint={`10 to ${ChatLimits.maxDurationMinutes}`} />
          </div>
        </section>

        <section className="panel" aria-labelledby="settings-hosts">
          <h2 id="settings-hosts" className="panel__title">
            Hosts
          </h2>
          <FormPersonPicker name="moderators" label="Moderators" hint="Change the chat, its settings and questions, and run the room." noun="staff" maxSelected={20} />
          <FormPersonPicker name="coModerators" label="Co-moderators" hint="Run the room and edit questions." noun="staff" maxSelected={20} isOptional />
        </section>

        <section className="panel" aria-labelledby="settings-reminders">
          <h2 id="settings-reminders" className="panel__title">
            Reminders
          </h2>
          <FormCheckboxField
            name="reminderEmail"
            label="Email reminders"
            hint={`On the day (${ChatLimits.dayOfHour}:00 in the chat's time zone) and ${ChatLimits.shortlyBeforeMinutes} minutes before, to guests who asked and staff who have posted.`}
          />
          <Webhooks />
        </section>

        <section className="panel" aria-labelledby="settings-crosspost">
          <h2 id="settings-crosspost" className="panel__title">
            Cross-posting
          </h2>
          <p className="chat-muted">Each question is also posted as “Q1 … {series.hashtag}”. Tokens and passwords are kept sealed and never shown again.</p>
          <Crosspost />
        </section>

        <div className="chat-create__actions chat-settings__actions">
          <SubmitButton label="Save settings" pendingLabel="Saving…" />
          <button type="button" className="button" onClick={() => void navigate(`/chats/series/${series.id}`)}>
            Cancel
          </button>
        </div>
      </Form>
    </div>
  );
}

function TimeZoneField() {
  const listId = useId();
  const zones = useMemo(() => (typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : []), []);
  return (
    <>
      <FormTextField name="timeZone" label="Time zone" hint="e.g. America/New_York" list={listId} autoComplete="off" />
      <datalist id={listId}>
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}

function AudienceSchools() {
  const audience = useWatch<SettingsForm, "audience">({ name: "audience" });
  const { field, fieldState } = useController<SettingsForm, "audienceSchoolIds">({ name: "audienceSchoolIds" });
  const schools = useQuery({ ...directoryQueries.schools({ limit: 200 }), enabled: audience === "schools" });
  const errorId = useId();
  if (audience !== "schools") return null;
  const chosen = new Set(field.value);
  return (
    <fieldset className="fieldset chat-schools" aria-describedby={fieldState.error ? errorId : undefined}>
      <legend className="fieldset__legend">Schools</legend>
      {schools.isPending ? <Spinner label="Loading schools…" /> : null}
      <div className="chat-schools__list">
        {schools.data?.items.map((s, index) => (
          <label key={s.id} className="chat-check">
            <input
              ref={index === 0 ? field.ref : undefined}
              type="checkbox"
              checked={chosen.has(s.id)}
              onChange={(e) => field.onChange(e.target.checked ? [...field.value, s.id] : field.value.filter((x) => x !== s.id))}
            />
            {s.name}
          </label>
        ))}
      </div>
      {fieldState.error ? (
        <p className="field__error" id={errorId}>
          {fieldState.error.message}
        </p>
      ) : null}
    </fieldset>
  );
}

function Webhooks() {
  const { control } = useFormContext<SettingsForm>();
  const { fields, append, remove } = useFieldArray({ control, name: "webhooks", keyName: "key" });
  return (
    <fieldset className="fieldset">
      <legend className="fieldset__legend">Outgoing webhooks</legend>
      <p className="field__hint">
        A JSON POST with a <code>text</code> field (Slack and Teams read it as is) at each reminder, signed with the secret if it has one.
      </p>
      {fields.length === 0 ? <p className="chat-muted">No webhooks.</p> : null}
      <ol className="chat-webhooks">
        {fields.map((f, index) => (
          <li key={f.key} className="chat-webhook">
            <div className="chat-create__grid">
              <FormTextField name={`webhooks.${index}.label`} label="Label" autoComplete="off" />
              <FormTextField name={`webhooks.${index}.url`} label="Address" type="url" inputMode="url" autoComplete="off" />
            </div>
            <WebhookSecret index={index} />
            <button type="button" className="button button--small" onClick={() => remove(index)}>
              Remove webhook {index + 1}
            </button>
          </li>
        ))}
      </ol>
      {fields.length < ChatLimits.maxWebhooks ? (
        <button type="button" className="button" onClick={() => append({ id: "", label: "", url: "", hasSecret: false, secret: "", clearSecret: false })}>
          Add a webhook
        </button>
      ) : (
        <p className="chat-muted">At most {ChatLimits.maxWebhooks} webhooks.</p>
      )}
    </fieldset>
  );
}

function WebhookSecret({ index }: { index: number }) {
  const hasSecret = useWatch<SettingsForm, `webhooks.${number}.hasSecret`>({ name: `webhooks.${index}.hasSecret` });
  const clearSecret = useWatch<SettingsForm, `webhooks.${number}.clearSecret`>({ name: `webhooks.${index}.clearSecret` });
  return (
    <div className="chat-secret">
      <p className="chat-secret__state">
        Signing secret: <strong>{hasSecret ? (clearSecret ? "will be removed" : "set") : "none"}</strong>
      </p>
      {clearSecret ? null : (
        <FormTextField
          name={`webhooks.${index}.secret`}
          label={hasSecret ? "New secret" : "Secret"}
          type="password"
          autoComplete="new-password"
          isOptional
          hint={hasSecret ? "Leave empty to keep the current one." : "16 characters or more; the receiver checks X-Coachwork-Signature with it."}
        />
      )}
      {hasSecret ? <FormCheckboxField name={`webhooks.${index}.clearSecret`} label="Remove the secret (deliveries are not signed)" /> : null}
    </div>
  );
}

function Crosspost() {
  const mastodonOn = useWatch<SettingsForm, "mastodonOn">({ name: "mastodonOn" });
  const blueskyOn = useWatch<SettingsForm, "blueskyOn">({ name: "blueskyOn" });
  const mastodonHasToken = useWatch<SettingsForm, "mastodonHasToken">({ name: "mastodonHasToken" });
  const blueskyHasPassword = useWatch<SettingsForm, "blueskyHasPassword">({ name: "blueskyHasPassword" });
  return (
    <div className="chat-crosspost">
      <fieldset className="fieldset">
        <legend className="fieldset__legend">Mastodon</legend>
        <FormCheckboxField name="mastodonOn" label="Post questions to Mastodon" hint={mastodonHasToken ? "Turning this off forgets the access token." : undefined} />
        {mastodonOn ? (
          <>
            <FormTextField name="mastodonUrl" label="Server" type="url" inputMode="url" placeholder="https://mastodon.social" autoComplete="off" />
            <p className="chat-secret__state">
              Access token: <strong>{mastodonHasToken ? "set" : "not set"}</strong>
            </p>
            <FormTextField
              name="mastodonToken"
              label={mastodonHasToken ? "New access token" : "Access token"}
              type="password"
              autoComplete="new-password"
              isOptional={mastodonHasToken}
              hint={mastodonHasToken ? "Leave empty to keep the current one." : "From the account's Preferences → Development, with write:statuses."}
            />
          </>
        ) : null}
      </fieldset>
      <fieldset className="fieldset">
        <legend className="fieldset__legend">Bluesky</legend>
        <FormCheckboxField name="blueskyOn" label="Post questions to Bluesky" hint={blueskyHasPassword ? "Turning this off forgets the app password." : undefined} />
        {blueskyOn ? (
          <>
            <div className="chat-create__grid">
              <FormTextField name="blueskyService" label="Service" type="url" inputMode="url" autoComplete="off" />
              <FormTextField name="blueskyIdentifier" label="Handle" placeholder="iichat.bsky.social" autoComplete="off" />
            </div>
            <p className="chat-secret__state">
              App password: <strong>{blueskyHasPassword ? "set" : "not set"}</strong>
            </p>
            <FormTextField
              name="blueskyPassword"
              label={blueskyHasPassword ? "New app password" : "App password"}
              type="password"
              autoComplete="new-password"
              isOptional={blueskyHasPassword}
              hint={blueskyHasPassword ? "Leave empty to keep the current one." : "Settings → App passwords; not the account's own password."}
            />
          </>
        ) : null}
      </fieldset>
    </div>
  );
}
