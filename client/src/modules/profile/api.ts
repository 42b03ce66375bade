/** The signed-in person's own account: name, password, personal API tokens. */
import { queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type { TMe, ZApiToken, ZCreateApiTokenRequest, ZCreatedApiToken, ZUpdateMeRequest } from "../../../../shared/schemas/auth.js";
import type { TPerson } from "../../../../shared/schemas/people.js";
import { http, setCsrfToken } from "../../api/client.js";

export type TApiToken = z.infer<typeof ZApiToken>;
export type TCreatedApiToken = z.infer<typeof ZCreatedApiToken>;
export type TCreateApiTokenRequest = z.input<typeof ZCreateApiTokenRequest>;
export type TUpdateMeRequest = z.infer<typeof ZUpdateMeRequest>;

type Signal = { signal?: AbortSignal };

export const meApi = {
  /** The contract does not pin the reply to PATCH /me; accept a TMe or a bare TPerson. */
  update: async (body: TUpdateMeRequest, current: TMe): Promise<TMe> => {
    const reply = await http.patch<TMe | TPerson>("/me", body);
    if ("person" in reply) {
      setCsrfToken(reply.csrfToken);
      return reply;
    }
    return { ...current, person: reply };
  },
  changePassword: async (body: { currentPassword: string; newPassword: string; revokeTokens: boolean }) => {
    const reply = await http.post<unknown>("/me/password", body);
    // If the server rotates the session on a password change it sends a fresh CSRF token.
    if (typeof reply === "object" && reply !== null && "csrfToken" in reply && typeof reply.csrfToken === "string") {
      setCsrfToken(reply.csrfToken);
    }
    return reply;
  },
  listTokens: (opts: Signal = {}) => http.get<{ items: TApiToken[] }>("/me/tokens", opts),
  createToken: (body: TCreateApiTokenRequest) => http.post<TCreatedApiToken>("/me/tokens", body),
  deleteToken: (id: string) => http.delete(`/me/tokens/${encodeURIComponent(id)}`),
};

export const profileKeys = {
  all: ["profile"] as const,
  tokens: () => [...profileKeys.all, "tokens"] as const,
};

export const profileQueries = {
  tokens: () => queryOptions({ queryKey: profileKeys.tokens(), queryFn: ({ signal }) => meApi.listTokens({ signal }) }),
};
