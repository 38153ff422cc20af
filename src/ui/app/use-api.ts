import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from './api.js';

export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
  reload: () => void;
}

/** Reads an admin API path (again when it changes, or every `refreshMs`). */
export function useApi<T>(path: string | undefined, refreshMs?: number): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((value) => value + 1), []);
  useEffect(() => {
    if (!path) return;
    let live = true;
    const load = () =>
      api.get<T>(path).then(
        (data) => live && setState({ data, loading: false }),
        (error: Error) =>
          live && setState((previous) => ({ ...previous, error: error.message, loading: false })),
      );
    setState((previous) => ({ ...previous, loading: true }));
    void load();
    const timer = refreshMs ? setInterval(load, refreshMs) : undefined;
    return () => {
      live = false;
      if (timer) clearInterval(timer);
    };
  }, [path, refreshMs, version]);
  return { ...state, reload };
}
