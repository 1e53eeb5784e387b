// Small React hooks shared by the pages.
import { useEffect, useRef, useState } from 'react';

/**
 * Runs a fetch whenever its key changes, cancelling the previous one; null key = nothing.
 * `loadedFor` is the key the data was loaded for (the data stays while the next loads).
 */
export function useFetch<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): { data: T | null; error: string | null; loadedFor: string | null } {
  const [state, setState] = useState<{ data: T | null; error: string | null; loadedFor: string | null }>({ data: null, error: null, loadedFor: null });
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    if (key === null) {
      setState({ data: null, error: null, loadedFor: null });
      return;
    }
    const controller = new AbortController();
    loader.current(controller.signal).then(
      (data) => setState({ data, error: null, loadedFor: key }),
      (error: Error) => {
        if (!controller.signal.aborted) setState((previous) => ({ ...previous, error: error.message }));
      },
    );
    return () => controller.abort();
  }, [key]);
  return state;
}

/**
 * An answer asked for on demand (a button) for the current filters: `current` is null
 * until asked, and again once the filters change, so an answer never shows under
 * filters it was not asked for.
 */
export function useAskedFor<T>(filters: object, ask: () => Promise<T>): {
  current: { result: T | null; error: string | null; busy: boolean } | null; run(): Promise<void>;
} {
  const [state, setState] = useState<{ for: string; result: T | null; error: string | null; busy: boolean } | null>(null);
  const key = JSON.stringify(filters);
  const run = async () => {
    setState({ for: key, result: null, error: null, busy: true });
    try {
      setState({ for: key, result: await ask(), error: null, busy: false });
    } catch (failure) {
      setState({ for: key, result: null, error: (failure as Error).message, busy: false });
    }
  };
  return { current: state?.for === key ? state : null, run };
}
