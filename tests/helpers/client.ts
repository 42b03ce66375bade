import type { TMe } from "../../shared/schemas/auth.js";

export type ApiResponse<T = unknown> = { status: number; body: T; headers: Headers; text: string };

/** A tiny HTTP client that keeps the session cookie and CSRF token like a browser tab would. */
export class ApiClient {
  cookie: string | null = null;
  csrfToken: string | null = null;
  bearer: string | null = null;

  constructor(readonly baseUrl: string) {}

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    opts: { headers?: Record<string, string>; rawBody?: string } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.cookie) headers.cookie = this.cookie;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if (this.csrfToken && method !== "GET" && !("x-csrf-token" in headers)) headers["x-csrf-token"] = this.csrfToken;
    const res = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: opts.rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const setCookie = res.headers.get("set-cookie");
    if (setCookie) {
      const m = /cw_session=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[1] ? `cw_session=${m[1]}` : null;
    }
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get("content-type") ?? "").includes("application/json") && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, headers: res.headers, text };
  }

  get<T = unknown>(path: string) {
    return this.request<T>("GET", path);
  }
  post<T = unknown>(path: string, body?: unknown) {
    return this.request<T>("POST", path, body ?? {});
  }
  patch<T = unknown>(path: string, body: unknown) {
    return this.request<T>("PATCH", path, body);
  }
  delete<T = unknown>(path: string) {
    return this.request<T>("DELETE", path);
  }

  /** Signs in through the API; throws unless it succeeds. */
  async signIn(email: string, password: string): Promise<TMe> {
    const res = await this.post<TMe>("/api/v1/auth/login", { email, password });
    if (res.status !== 200) throw new Error(`sign-in failed for ${email}: ${res.status} ${res.text}`);
    this.csrfToken = res.body.csrfToken;
    return res.body;
  }
}
