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
