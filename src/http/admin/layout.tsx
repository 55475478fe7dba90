import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ConsoleOptions, ConsoleUser } from './console-context.js';

type Section =
  | 'templates'
  | 'branding'
  | 'settings'
  | 'demand'
  | 'deliveries'
  | 'results'
  | 'backlog'
  | 'subscribers'
  | 'suppressions'
  | 'mailbox'
  | 'users'
  | 'api-tokens';

const nav: { id: Section; href: string; label: string; adminOnly?: boolean }[] = [
  { id: 'templates', href: '/admin/templates', label: 'Templates' },
  { id: 'branding', href: '/admin/branding', label: 'Branding' },
  { id: 'settings', href: '/admin/settings', label: 'Settings' },
  { id: 'demand', href: '/admin/demand', label: 'Demand' },
  { id: 'deliveries', href: '/admin/deliveries', label: 'Deliveries' },
  { id: 'results', href: '/admin/results', label: 'Results' },
  { id: 'backlog', href: '/admin/backlog', label: 'Backlog' },
  { id: 'subscribers', href: '/admin/subscribers', label: 'Subscribers' },
  { id: 'suppressions', href: '/admin/suppressions', label: 'Suppressions', adminOnly: true },
  { id: 'mailbox', href: '/admin/mailbox', label: 'Mailbox' },
  { id: 'users', href: '/admin/users', label: 'Users', adminOnly: true },
  { id: 'api-tokens', href: '/admin/api-tokens', label: 'API tokens', adminOnly: true },
];

/**
 * Console pages send no inline script (script-src 'self'); CodeMirror injects its own <style>
 * elements, hence 'unsafe-inline' for styles only. srcdoc preview frames inherit this policy on top
 * of their own sandbox and meta CSP, so https stylesheets and fonts are allowed here too: an email's
 * `<mj-font>` links one (Google Fonts and the like), and the preview should show that typeface.
 */
const consoleCsp = (serviceOrigin: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline' https:",
    "font-src 'self' https: data:",
    `img-src 'self' https: data: ${serviceOrigin}`,
    "connect-src 'self'",
    "frame-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

export type PageProps = {
  title: string;
  section: Section;
  user: ConsoleUser;
  options: ConsoleOptions;
  /** Extra client bundle: the template editor loads `editor.js`. */
  script?: 'editor.js';
  children: Child;
};

/** Renders one console page inside the shared layout (top bar, navigation, sign-out). */
export async function consolePage(c: Context, props: PageProps, status: 200 | 404 | 403 = 200): Promise<Response> {
  const { options, user } = props;
  const [css, consoleJs, extra] = await Promise.all([
    options.assets.get('console.css'),
    options.assets.get('console.js'),
    props.script ? options.assets.get(props.script) : undefined,
  ]);
  const hasBacklog = options.hasRoute('GET', '/api/v1/admin/reports/backlog');
  const items = nav.filter((n) => (n.id !== 'backlog' || hasBacklog) && (!n.adminOnly || user.role === 'admin'));
  const page = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <meta name="csrf-token" content={user.csrfToken} />
        <meta name="service-origin" content={options.serviceOrigin} />
        <link rel="icon" href="data:," />
        <title>{`${props.title} · Console`}</title>
        <link rel="stylesheet" href={css.url} />
        <script type="module" src={consoleJs.url}></script>
        {extra ? <script type="module" src={extra.url}></script> : null}
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="topbar">
          <div class="topbar-inner">
            <a class="brand" href="/admin">
              <span class="brand-mark" aria-hidden="true"></span>Restock console
            </a>
            <nav class="nav" aria-label="Console">
              {items.map((n) => (
                <a href={n.href} aria-current={n.id === props.section ? 'page' : undefined}>
                  {n.label}
                </a>
              ))}
            </nav>
            <div class="whoami">
              <span class="email">{user.email}</span>
              <span class="badge neutral" title={`Signed in as ${user.email}`}>
                {user.role}
              </span>
              <form method="post" action="/admin/logout">
                <input type="hidden" name="_csrf" value={user.csrfToken} />
                <button type="submit">Log out</button>
              </form>
            </div>
          </div>
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
  return c.html(`<!doctype html>${await page.toString()}`, status, {
    'Content-Security-Policy': consoleCsp(options.serviceOrigin),
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
  });
}

/** Page header: title, a line of context, and optional actions on the right. */
export function PageHead(props: { title: string; lead?: Child; actions?: Child }) {
  return (
    <div class="page-head">
      <div>
        <h1>{props.title}</h1>
        {props.lead ? <p class="muted">{props.lead}</p> : null}
      </div>
      {props.actions ? <div class="actions">{props.actions}</div> : null}
    </div>
  );
}

/** A friendly message when an API answer is an error (role, capture mode off, route missing). */
/** The page when its data route refused or failed: the title and what went wrong (403 stays a 403). */
export function apiProblemPage(
  c: Context,
  base: Omit<PageProps, 'children'>,
  answer: { status: number; message: string },
): Promise<Response> {
  return consolePage(
    c,
    {
      ...base,
      children: (
        <>
          <PageHead title={base.title} />
          <ApiProblem status={answer.status} message={answer.message} />
        </>
      ),
    },
    answer.status === 403 ? 403 : 200,
  );
}

/** A table's header row: one `th scope="col"` per column; `{ num: label }` right-aligns a numeric column. */
export function HeadRow(props: { cols: (string | { num: string })[] }) {
  return (
    <tr>
      {props.cols.map((c) =>
        typeof c === 'string' ? (
          <th scope="col">{c}</th>
        ) : (
          <th scope="col" class="num">
            {c.num}
          </th>
        ),
      )}
    </tr>
  );
}

export function ApiProblem(props: { status: number; message: string }) {
  const text =
    props.status === 403
      ? 'Your role does not allow this page. Ask an admin.'
      : props.status === 404
        ? 'This is not available on this installation.'
        : props.message;
  return (
    <div class="notice error" role="alert">
      {text}
    </div>
  );
}

/** Dates as the staff read them: short, in UTC, so every screen agrees. */
export function when(value: string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
