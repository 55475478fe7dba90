import { Hono, type MiddlewareHandler } from 'hono';
import type { Deps } from '../../deps.js';
import { brandingPage } from './branding-page.js';
import type { ConsoleEnv, ConsoleOptions } from './console-context.js';
import { mailboxPages } from './mailbox-pages.js';
import { peoplePages } from './people-pages.js';
import { reportPages } from './report-pages.js';
import { templateHistoryPage } from './template-history-page.js';
import { templatePages } from './templates-pages.js';

/** Every console page path this router serves; each is behind the session guard. */
const guardedPaths = [
  '/admin',
  '/admin/templates',
  '/admin/templates/*',
  '/admin/branding',
  '/admin/demand',
  '/admin/deliveries',
  '/admin/backlog',
  '/admin/subscribers',
  '/admin/suppressions',
  '/admin/mailbox',
  '/admin/mailbox/*',
];

/**
 * The console's HTML pages (the login and logout routes belong to the session layer). Plain hono
 * routes rather than OpenAPI ones: these are pages for people, not part of the API contract, and
 * they read their data through that very API. Without a session a page redirects to the login form
 * and comes back afterwards.
 */
export function consoleRoutes(deps: Deps, options: ConsoleOptions): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const guard: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
    const user = await options.userFor(c);
    if (!user) {
      const next = c.req.path + (new URL(c.req.url).search || '');
      return c.redirect(`/admin/login?next=${encodeURIComponent(next)}`, 302);
    }
    c.set('consoleUser', user);
    c.header('Cache-Control', 'no-store');
    await next();
  };
  for (const path of guardedPaths) app.use(path, guard);
  app.route('/', options.assets.routes() as unknown as Hono<ConsoleEnv>);

  app.get('/admin', (c) => c.redirect('/admin/templates', 302));
  templatePages(app, deps, options);
  templateHistoryPage(app, deps, options);
  brandingPage(app, deps, options);
  reportPages(app, deps, options);
  peoplePages(app, deps, options);
  mailboxPages(app, deps, options);
  return app;
}
