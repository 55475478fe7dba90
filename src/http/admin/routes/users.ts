import type { Hono } from 'hono';
import type { Deps } from '../../../deps.js';
import { apiFor, listOf, type ConsoleEnv, type ConsoleOptions } from '../console-context.js';
import { apiProblemPage, consolePage } from '../layout.js';
import { UsersView, type UserRow } from '../users-page.js';

/**
 * Console users (admin only; the API answers 403 to anyone else and so does this page): add a user
 * with a typed or generated password, change a role, disable/enable, reset a password, log a user
 * out everywhere. Every change goes through `/api/v1/admin/users` with the CSRF header (console.js).
 */
export function usersPage(app: Hono<ConsoleEnv>, deps: Deps, options: ConsoleOptions): void {
  app.get('/admin/users', async (c) => {
    const user = c.get('consoleUser');
    const answer = await apiFor(c, options, deps, user).get<unknown>('/api/v1/admin/users');
    const base = { title: 'Users', section: 'users' as const, user, options };
    if (!answer.ok) return apiProblemPage(c, base, answer);
    const rows = listOf<UserRow>(answer.data, 'users');
    return consolePage(c, {
      ...base,
      children: UsersView({ rows, user }),
    });
  });
}
