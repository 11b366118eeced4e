// Each view is a route in the location hash (#/search?q=..., #/graph/<id>), so a view can be linked,
// reloaded and opened from a citation, and the server serves one page for all of them.
import { useEffect, useState } from 'react';

export interface Route {
  view: string;
  id?: string;
  params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [view = '', id] = path.split('/').map(decodeURIComponent);
  return { view: view || 'search', id: id || undefined, params: new URLSearchParams(query) };
}

export function href(view: string, id?: string, params?: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined && v !== '') q.set(k, String(v));
  const qs = q.toString();
  return `#/${view}${id ? `/${encodeURIComponent(id)}` : ''}${qs ? `?${qs}` : ''}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** The record type a global id names (base64url of `Type:uuid`); undefined for graph-only ids (schools). */
export function typeOfId(id: string): string | undefined {
  try {
    const decoded = atob(id.replace(/-/g, '+').replace(/_/g, '/'));
    const m = /^([A-Za-z]+):[0-9a-f-]{36}$/.exec(decoded);
    return m?.[1];
  } catch {
    return undefined;
  }
}

/** The global id of a record (as the server makes it: base64url of `Type:uuid`). */
export function globalId(type: string, uuid: string): string {
  return btoa(`${type}:${uuid}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
