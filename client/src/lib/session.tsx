import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { TMe } from "../../../shared/schemas/auth.js";
import { ApiError, asApiError, onSessionExpired, setCsrfToken } from "../api/client.js";
import { authApi } from "../api/endpoints.js";

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

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: "loading" });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    authApi.me({ signal: controller.signal }).then(
      (me) => setState({ status: "signedIn", me }),
      (cause: unknown) => {
        if (controller.signal.aborted) return;
        const error = asApiError(cause);
        setState(error.status === 401 ? { status: "signedOut", reason: "initial" } : { status: "error", error });
      },
    );
    return () => controller.abort();
  }, [generation]);

  useEffect(
    () =>
      onSessionExpired(() => {
        setCsrfToken(null);
        setState((current) => (current.status === "signedIn" ? { status: "signedOut", reason: "expired" } : current));
      }),
    [],
  );

  const signIn = useCallback((me: TMe) => {
    setCsrfToken(me.csrfToken);
    setState({ status: "signedIn", me });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await authApi.logout();
    } catch {
      // Signing out locally is what matters to the person at the keyboard; the cookie expires anyway.
    }
    setCsrfToken(null);
    setState({ status: "signedOut", reason: "signedOut" });
  }, []);

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
