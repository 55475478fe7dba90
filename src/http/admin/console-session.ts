import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Deps } from '../../deps.js';
import { resolveSession } from '../../domain/sessions/resolve-session.js';
import { SESSION_COOKIE } from '../admin-access.js';
import type { ConsoleUser } from './console-context.js';

/** The console user of a page request: the live session behind the cookie, or null (→ login). */
export async function consoleUserFor(deps: Pick<Deps, 'db' | 'clock' | 'config'>, c: Context): Promise<ConsoleUser | null> {
  const raw = getCookie(c, SESSION_COOKIE);
  const session = raw ? await resolveSession(deps, raw) : undefined;
  return session ? { email: session.user.email, role: session.user.role, csrfToken: session.csrfToken } : null;
}
