import { Hono, type MiddlewareHandler } from 'hono';
import type { Deps } from '../../deps.js';
import { apiTokensPage } from './routes/api-tokens.js';
import { brandingPage } from './routes/branding.js';
import type { ConsoleEnv, ConsoleOptions } from './console-context.js';
import { mailboxPages } from './routes/mailbox.js';
import { peoplePages } from './routes/people.js';
import { reportPages } from './routes/reports.js';
import { resultsPage } from './routes/results.js';
import { settingsPage } from './routes/settings.js';
import { templateHistoryPage } from './routes/template-history.js';
import { templatePages } from './routes/templates.js';
import { usersPage } from './routes/users.js';

/** Every console page path this router serves; each is behind the session guard. */
const guardedPaths = [
  '/admin',
  '/admin/templates',
  '/admin/templates/*',
  '/admin/branding',
  '/admin/settings',
  '/admin/demand',
  '/admin/deliveries',
  '/admin/results',
  '/admin/backlog',
  '/admin/subscribers',
  '/admin/suppressions',
  '/admin/mailbox',
  '/admin/mailbox/*',
  '/admin/users',
  '/admin/api-tokens',
];

/**
 * The console's HTML pages (the login and logout routes belong to the session layer). Plain hono
 * routes rather than OpenAPI ones: these are pages for people, not part of the API contract, and
 * they read their data through that very API. Without a session a page redirects to the login form
 * (the session layer's guard) and comes back afterwards.
 */
export function consoleRoutes(deps: Deps, options: ConsoleOptions): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  // After the session guard: the page's user, as the layout and the in-process API calls need it.
  const user: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
    const p = c.get('principal');
    if (!p?.user || !p.session) throw new Error('console page reached without a session principal');
    c.set('consoleUser', { email: p.user.email, role: p.user.role, csrfToken: p.session.csrfToken });
    await next();
  };
  for (const path of guardedPaths) app.use(path, options.guard as unknown as MiddlewareHandler<ConsoleEnv>, user);
  app.route('/', options.assets.routes() as unknown as Hono<ConsoleEnv>);

  app.get('/admin', (c) => c.redirect('/admin/templates', 302));
  templatePages(app, deps, options);
  templateHistoryPage(app, deps, options);
  brandingPage(app, deps, options);
  settingsPage(app, deps, options);
  reportPages(app, deps, options);
  resultsPage(app, deps, options);
  peoplePages(app, deps, options);
  mailboxPages(app, deps, options);
  usersPage(app, deps, options);
  apiTokensPage(app, deps, options);
  return app;
}
