import { useEffect, useState } from 'preact/hooks';

/** The dashboard's pages live under /ui/; the gateway answers every such path with the same page. */
export const BASE = '/ui';

export interface Route {
  /** The path under /ui, split: `/ui/sessions/abc` → ['sessions', 'abc']. */
  segments: string[];
  query: URLSearchParams;
}

function current(): Route {
  const path = location.pathname.startsWith(`${BASE}/`) ? location.pathname.slice(BASE.length + 1) : '';
  return {
    segments: path.split('/').filter(Boolean).map(decodeURIComponent),
    query: new URLSearchParams(location.search),
  };
}

const listeners = new Set<() => void>();

/** Goes to a dashboard page without reloading (`replace` keeps the history entry: filters). */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  for (const listener of listeners) listener();
  if (!options.replace) window.scrollTo(0, 0);
}

/** The current route, re-rendering on navigation and the back button. */
export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => setRoute(current());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

/** A dashboard path: `page('sessions', id)` → `/ui/sessions/<id>`. */
export function page(...segments: string[]): string {
  return `${BASE}/${segments.map(encodeURIComponent).join('/')}`;
}

/** Follows same-page links without a reload; other clicks (new tab, modifiers) behave as usual. */
export function followLink(event: MouseEvent): void {
  const anchor = (event.target as Element | null)?.closest?.('a');
  if (!anchor || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || anchor.target) return;
  const url = new URL(anchor.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith(`${BASE}/`)) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
}
