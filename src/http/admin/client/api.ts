/** Browser side of the admin API: JSON in and out, the session cookie, and the CSRF header on every mutation. */
type ApiError = { code: string; message: string; details?: unknown };
export type ApiAnswer<T> = { ok: true; status: number; data: T } | { ok: false; status: number; error: ApiError };

export function csrfToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
}

/** The origin of PUBLIC_BASE_URL, which the server put into the page (preview frames may load its images). */
export const serviceOrigin = () =>
  document.querySelector<HTMLMetaElement>('meta[name="service-origin"]')?.content ?? '';

export async function api<T>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken();
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return {
      ok: false,
      status: 0,
      error: { code: 'NETWORK', message: 'The server could not be reached. Check your connection and try again.' },
    };
  }
  if (res.status === 401) {
    // The session ended (logged out elsewhere, expired): back to the login page, then here again.
    location.assign(`/admin/login?next=${encodeURIComponent(location.pathname + location.search)}`);
  }
  const data = (await res.json().catch(() => null)) as (T & { error?: ApiError }) | null;
  if (res.ok) return { ok: true, status: res.status, data: data as T };
  return {
    ok: false,
    status: res.status,
    error: data?.error ?? { code: 'HTTP', message: `${res.status} ${res.statusText}` },
  };
}

/** Sets a live region's text (screen readers announce it). */
export function say(el: Element | null, text: string, tone: 'ok' | 'error' | 'info' = 'info'): void {
  if (!el) return;
  el.textContent = text;
  el.setAttribute('data-tone', tone);
}
