/**
 * A real OpenID Connect provider for tests: `oidc-provider` (a certified implementation) on a
 * random loopback port, with its development login and consent pages. Any login name signs in;
 * the name is the account's `sub`, and `accounts` says which claims it has.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export type TestIdpAccount = {
  email?: string;
  email_verified?: boolean;
  given_name?: string;
  family_name?: string;
  name?: string;
};

export type TestIdp = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Claims per login name; a name not listed signs in with no claims but `sub`. */
  accounts: Map<string, TestIdpAccount>;
  close(): Promise<void>;
};

/** Starts a provider on 127.0.0.1 whose one client may redirect to `redirectUri`. */
export async function startTestIdp(opts: { redirectUri: string; hasClaimsInIdToken?: boolean }): Promise<TestIdp> {
  const accounts = new Map<string, TestIdpAccount>();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = "coachwork-test";
  const clientSecret = "coachwork-test-client-secret";

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        // A web client may use an http:// redirect URI with the code flow; only implicit flows must use https.
        redirect_uris: [opts.redirectUri],
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "given_name", "family_name"],
    },
    // By default (conform) scope claims stay out of the ID token and come from UserInfo only, as with
    // some real providers; Google and Entra put email in the ID token, which `hasClaimsInIdToken` mimics.
    conformIdTokenClaims: !opts.hasClaimsInIdToken,
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, ...accounts.get(id) }),
    }),
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["coachwork-test-idp-cookie-key"] },
  });
  server.on("request", provider.callback());

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/**
 * A cookie jar that, like a browser, shares cookies between ports of one host
 * (path and expiry are honoured; domain is always the one host).
 */
export class CookieJar {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";").map((p) => p.trim());
      const eq = pair.indexOf("=");
      if (eq < 1) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = "/";
      let isExpired = value === "";
      for (const attr of attrs) {
        const [k = "", v = ""] = attr.split("=");
        if (k.toLowerCase() === "path") path = v || "/";
        if (k.toLowerCase() === "max-age" && Number(v) <= 0) isExpired = true;
        if (k.toLowerCase() === "expires" && Date.parse(v) <= Date.now()) isExpired = true;
      }
      const key = `${name}\u0000${path}`;
      if (isExpired) this.cookies.delete(key);
      else this.cookies.set(key, { value, path });
    }
  }

  header(url: string): string {
    const { pathname } = new URL(url);
    const pairs: string[] = [];
    for (const [key, c] of this.cookies) {
      const isMatch = pathname === c.path || pathname.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`);
      if (isMatch) pairs.push(`${key.slice(0, key.indexOf("\u0000"))}=${c.value}`);
    }
    return pairs.join("; ");
  }

  get(name: string): string | undefined {
    for (const [key, c] of this.cookies) if (key.startsWith(`${name}\u0000`)) return c.value;
    return undefined;
  }

  delete(name: string): void {
    for (const key of [...this.cookies.keys()]) if (key.startsWith(`${name}\u0000`)) this.cookies.delete(key);
  }
}

/** One request without following redirects, sending and keeping cookies like a browser. */
export async function browse(
  jar: CookieJar,
  url: string,
  init: { method?: "GET" | "POST"; form?: Record<string, string> } = {},
): Promise<{ status: number; location: string | null; text: string; url: string }> {
  const headers: Record<string, string> = { accept: "text/html" };
  const cookie = jar.header(url);
  if (cookie) headers.cookie = cookie;
  let body: string | undefined;
  if (init.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(init.form).toString();
  }
  const res = await fetch(url, { method: init.method ?? "GET", headers, body, redirect: "manual" });
  jar.store(res);
  const location = res.headers.get("location");
  return { status: res.status, location: location === null ? null : new URL(location, url).href, text: await res.text(), url };
}

/** Follows redirects from `url` until a page that is not a redirect, or until `stopAt` matches a Location. */
export async function follow(
  jar: CookieJar,
  url: string,
  stopAt?: (location: string) => boolean,
): Promise<{ status: number; location: string | null; text: string; url: string }> {
  let res = await browse(jar, url);
  for (let hops = 0; hops < 10 && res.location && res.status >= 300 && res.status < 400; hops++) {
    if (stopAt?.(res.location)) return res;
    res = await browse(jar, res.location);
  }
  return res;
}

/**
 * Signs in at the test provider the way a person would with its development pages:
 * follows Coachwork's redirect to the provider, submits the login form, then the consent form,
 * and stops at the redirect back to Coachwork's callback (returned, not followed).
 */
export async function signInAtIdp(jar: CookieJar, startUrl: string, login: string): Promise<string> {
  const callback = (location: string) => location.includes("/api/v1/sso/callback");
  let res = await follow(jar, startUrl, callback);
  for (let step = 0; step < 4; step++) {
    if (res.location && callback(res.location)) return res.location;
    const action = /<form[^>]*action="([^"]+)"/.exec(res.text)?.[1];
    if (res.status !== 200 || !action) throw new Error(`unexpected page at the provider (${res.status} ${res.url}): ${res.text.slice(0, 300)}`);
    const target = new URL(action.replaceAll("&amp;", "&"), res.url).href;
    const form: Record<string, string> = /name="prompt" value="login"/.test(res.text)
      ? { prompt: "login", login, password: "any" }
      : { prompt: "consent" };
    res = await browse(jar, target, { method: "POST", form });
    if (res.location && !callback(res.location)) res = await follow(jar, res.location, callback);
  }
  throw new Error("the provider did not redirect back to Coachwork");
}
