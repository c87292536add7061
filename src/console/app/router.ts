// Hash routes (#/batches/ID): the server serves one page at /, and links work without it knowing them.
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  page: string;
  id: string | undefined;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const [pathPart = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page = 'devices', id] = pathPart.split('/').filter(Boolean);
  return { page, id: id === undefined ? undefined : decodeURIComponent(id), params: new URLSearchParams(query) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseHash(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function href(page: string, id?: string): string {
  return id === undefined ? `#/${page}` : `#/${page}/${encodeURIComponent(id)}`;
}

export function go(page: string, id?: string): void {
  location.hash = href(page, id);
}
