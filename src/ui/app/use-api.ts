import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from './api.js';

export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
  reload: () => void;
}

/**
 * Reads an admin API path (again when it changes, or every `refreshMs`). While
 * a new path loads, the previous path's answer is not returned: a table must
 * not show one report's rows under another report's caption. A refresh of the
 * same path keeps showing the last answer until the new one arrives.
 */
export function useApi<T>(path: string | undefined, refreshMs?: number): Loaded<T> {
  const [state, setState] = useState<{ path?: string; data?: T; error?: string; loading: boolean }>({
    loading: true,
  });
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((value) => value + 1), []);
  useEffect(() => {
    if (!path) return;
    let live = true;
    const load = () =>
      api.get<T>(path).then(
        (data) => live && setState({ path, data, loading: false }),
        (error: Error) =>
          live && setState((previous) => ({ ...previous, path, error: error.message, loading: false })),
      );
    setState((previous) =>
      previous.path === path ? { ...previous, loading: true } : { path, loading: true },
    );
    void load();
    const timer = refreshMs ? setInterval(load, refreshMs) : undefined;
    return () => {
      live = false;
      if (timer) clearInterval(timer);
    };
  }, [path, refreshMs, version]);
  const current = state.path === path ? state : { loading: true };
  return { data: current.data, error: current.error, loading: current.loading, reload };
}
