import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, asApiError, isAbortError } from "./client.js";

export type Resource<T> = {
  data: T | undefined;
  error: ApiError | undefined;
  /** True while a request is in flight, including reloads that keep the old data on screen. */
  isLoading: boolean;
  reload: () => void;
  /** Replace the cached data after a successful write, without another round trip. */
  setData: (data: T) => void;
};

/**
 * Loads data for `key` and reloads whenever the key changes. The key is the cache identity
 * (usually the URL); `load` may close over anything, but only a key change triggers a fetch.
 * Pass `null` as key to skip loading.
 */
export function useResource<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });

  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [isLoading, setIsLoading] = useState(key !== null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (key === null) {
      setIsLoading(false);
      return;
    }
    const controller = new AbortController();
    setIsLoading(true);
    setError(undefined);
    loadRef.current(controller.signal).then(
      (result) => {
        if (controller.signal.aborted) return;
        setData(result);
        setIsLoading(false);
      },
      (cause: unknown) => {
        if (controller.signal.aborted || isAbortError(cause)) return;
        setError(asApiError(cause));
        setIsLoading(false);
      },
    );
    return () => controller.abort();
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, error, isLoading, reload, setData };
}
