import type { Context, MiddlewareHandler } from 'hono';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../context.js';
import type { ConsoleAssets } from './assets.js';

/** The signed-in console user, as the session layer resolves it. */
export type ConsoleUser = { email: string; role: 'admin' | 'marketing'; csrfToken: string };

/** Context variables of a console page: the app's, plus the user the session guard let in. */
export type ConsoleEnv = { Variables: AppEnv['Variables'] & { consoleUser: ConsoleUser } };

/** What the console pages need from the rest of the app; createApp wires it. */
export type ConsoleOptions = {
  /** The session guard for pages: redirects to the login form without a session, else sets `principal`. */
  guard: MiddlewareHandler<AppEnv>;
  /** Runs a request through the whole app in-process (the pages read the same JSON API as any client). */
  fetchApi(request: Request): Promise<Response>;
  /** Whether the app has a route (e.g. the backlog report, which another feature adds). */
  hasRoute(method: string, path: string): boolean;
  assets: ConsoleAssets;
  /** The origin of PUBLIC_BASE_URL: preview frames may load its images (the sample product picture). */
  serviceOrigin: string;
};

export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; code: string; message: string };

/**
 * A JSON client over the admin API for one page request: it forwards the request's cookie, so the
 * API applies the same session and role checks as it does for the browser's own calls.
 */
export function apiFor(c: Context, options: ConsoleOptions, deps: Pick<Deps, 'config'>, user: ConsoleUser) {
  const cookie = c.req.header('cookie') ?? '';
  async function call<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { cookie, accept: 'application/json' };
    // The page acts for the signed-in user, so it presents their CSRF token like their browser would.
    if (method !== 'GET') headers['x-csrf-token'] = user.csrfToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await options.fetchApi(
      new Request(`${deps.config.publicBaseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    const data = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    if (res.ok) return { ok: true, status: res.status, data: data as T };
    return {
      ok: false,
      status: res.status,
      code: data?.error?.code ?? 'UNKNOWN',
      message: data?.error?.message ?? res.statusText,
    };
  }
  return {
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body: unknown) => call<T>('POST', path, body),
  };
}

/** A list from an API answer that is either a bare array or `{ <key>: [...] }`. */
export function listOf<T>(data: unknown, key: string): T[] {
  if (Array.isArray(data)) return data as T[];
  const inner = (data as Record<string, unknown> | null)?.[key];
  return Array.isArray(inner) ? (inner as T[]) : [];
}
