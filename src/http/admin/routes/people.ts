import type { Hono } from 'hono';
import type { Deps } from '../../../deps.js';
import { apiFor, listOf, type ConsoleEnv, type ConsoleOptions } from '../console-context.js';
import { consolePage } from '../layout.js';
import { SubscribersView, SuppressionsView, type Subscriber, type Suppression } from '../people-pages.js';

/** Subscribers (look up, export, erase) and the suppression list (admin). */
export function peoplePages(app: Hono<ConsoleEnv>, deps: Deps, options: ConsoleOptions): void {
  app.get('/admin/subscribers', async (c) => {
    const user = c.get('consoleUser');
    const email = (c.req.query('email') ?? '').trim();
    const answer = email
      ? await apiFor(c, options, deps, user).get<Subscriber>(
          `/api/v1/admin/subscribers?email=${encodeURIComponent(email)}`,
        )
      : undefined;
    const s = answer?.ok ? answer.data : undefined;
    const found =
      s &&
      ((s.subscriptions?.length ?? 0) + (s.deliveries?.length ?? 0) + (s.orderLines?.length ?? 0) > 0 || s.suppression);
    return consolePage(c, {
      title: 'Subscribers',
      section: 'subscribers',
      user,
      options,
      children: SubscribersView({ email, answer, s, found, user }),
    });
  });

  app.get('/admin/suppressions', async (c) => {
    const user = c.get('consoleUser');
    const answer = await apiFor(c, options, deps, user).get<unknown>('/api/v1/admin/suppressions');
    const rows = answer.ok ? listOf<Suppression>(answer.data, 'suppressions') : [];
    return consolePage(c, {
      title: 'Suppressions',
      section: 'suppressions',
      user,
      options,
      children: SuppressionsView({ rows, answer }),
    });
  });
}
