import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { TMe } from "../../../shared/schemas/auth.js";
import { STUDENT_ROLES } from "../../../shared/roles.js";
import { ApiError, asApiError, onSessionExpired, setCsrfToken } from "../api/client.js";
import { authApi } from "../modules/auth/api.js";

export type SessionState =
  | { status: "loading" }
  /** `reason` decides what the sign-in page says: nothing, "you signed out", or "your session ended". */
  | { status: "signedOut"; reason: "initial" | "signedOut" | "expired" }
  | { status: "signedIn"; me: TMe }
  | { status: "error"; error: ApiError };

type SessionContextValue = {
  state: SessionState;
  /** Store the person returned by login, setup or a profile update. */
  signIn: (me: TMe) => void;
  signOut: () => Promise<void>;
  refresh: () => void;
};

const SessionContext = createContext<SessionContextValue | null>(null);

// Who was signed in on this device, kept (without the CSRF token) so the app opens with the network
// off: a coach in a classroom without Wi-Fi can still fill in an observation, which waits on the
// device until it syncs. Forgotten on sign-out and when the session ends.
const OFFLINE_ME = "coachwork.offline-me";

function rememberOffline(me: TMe): void {
  try {
    localStorage.setItem(OFFLINE_ME, JSON.stringify({ ...me, csrfToken: "" }));
  } catch {
    // Storage may be full or disabled; the app then needs the network to open, as before.
  }
}

function offlineMe(): TMe | null {
  try {
    const text = localStorage.getItem(OFFLINE_ME);
    return text ? (JSON.parse(text) as TMe) : null;
  } catch {
    return null;
  }
}

function forgetOffline(): void {
  try {
    localStorage.removeItem(OFFLINE_ME);
  } catch {
    // Nothing stored.
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: "loading" });
  const [generation, setGeneration] = useState(0);
  const queryClient = useQueryClient();
  const signedInIdRef = useRef<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    authApi.session({ signal: controller.signal }).then(
      (me) => {
        if (!me) {
          forgetOffline();
          setState({ status: "signedOut", reason: "initial" });
          return;
        }
        signedInIdRef.current = me.person.id;
        rememberOffline(me);
        setState({ status: "signedIn", me });
      },
      (cause: unknown) => {
        if (controller.signal.aborted) return;
        const error = asApiError(cause);
        const cached = error.code === "network_error" ? offlineMe() : null;
        if (cached) {
          signedInIdRef.current = cached.person.id;
          setState({ status: "signedIn", me: cached });
          return;
        }
        setState(error.status === 401 ? { status: "signedOut", reason: "initial" } : { status: "error", error });
      },
    );
    return () => controller.abort();
  }, [generation]);

  // Opened offline, the app has no CSRF token yet: ask for the session again once the network is back.
  useEffect(() => {
    const onOnline = () => {
      authApi.me().then(
        (me) => {
          if (signedInIdRef.current !== me.person.id) return;
          rememberOffline(me);
          setState({ status: "signedIn", me });
        },
        () => undefined,
      );
    };
    window.addEventListener("online", onOnline);
    return () => window.removeEventListener("online", onOnline);
  }, []);

  useEffect(
    () =>
      onSessionExpired(() => {
        setCsrfToken(null);
        forgetOffline();
        // Nothing cached for the person who was signed in may show to whoever signs in next.
        signedInIdRef.current = null;
        queryClient.clear();
        setState((current) => (current.status === "signedIn" ? { status: "signedOut", reason: "expired" } : current));
      }),
    [queryClient],
  );

  const signIn = useCallback(
    (me: TMe) => {
      setCsrfToken(me.csrfToken);
      // Answers cached for someone else (or before sign-in) are not this person's; a profile
      // update of the same person keeps the cache.
      if (signedInIdRef.current !== me.person.id) queryClient.clear();
      signedInIdRef.current = me.person.id;
      rememberOffline(me);
      setState({ status: "signedIn", me });
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      await authApi.logout();
    } catch {
      // Signing out locally is what matters to the person at the keyboard; the cookie expires anyway.
    }
    setCsrfToken(null);
    forgetOffline();
    signedInIdRef.current = null;
    queryClient.clear();
    setState({ status: "signedOut", reason: "signedOut" });
  }, [queryClient]);

  const refresh = useCallback(() => {
    setState({ status: "loading" });
    setGeneration((n) => n + 1);
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut, refresh }), [state, signIn, signOut, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession must be used inside <SessionProvider>");
  return value;
}

/** The signed-in person. Only for pages rendered inside the signed-in app shell. */
export function useMe(): TMe {
  const { state } = useSession();
  if (state.status !== "signedIn") throw new Error("useMe needs a signed-in session");
  return state.me;
}

export function useIsDistrictAdmin(): boolean {
  return useMe().person.roles.some((r) => r.role === "district_admin");
}

/** Whether every role the person holds is a student's (a student, a student tech): they see no staff pages. */
export function useIsStudentOnly(): boolean {
  const { roles } = useMe().person;
  return roles.length > 0 && roles.every((r) => STUDENT_ROLES.includes(r.role));
}
