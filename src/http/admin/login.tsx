import type { FC } from 'hono/jsx';

export type LoginPageProps = {
  csrf: string;
  email?: string;
  error?: string;
  next?: string;
  /** Development only: how to get a first user (never shown in production). */
  hint?: string;
};

/**
 * The console's login form: server-rendered, no script. Posts `email`, `password` and `_csrf` (the
 * login form's own token, paired with a cookie) to `POST /admin/login`. The console-ui may restyle it.
 */
export const LoginPage: FC<LoginPageProps> = (props) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      <title>Log in · restock-notifier console</title>
      <link rel="icon" href="data:," />
      {/* The console's one stylesheet, at its stable (revalidated) URL: this page has no asset registry. */}
      <link rel="stylesheet" href="/admin/assets/console.css" />
    </head>
    <body>
      <main class="login">
        <p class="brand" style="color:var(--text);margin-bottom:16px">
          <span class="brand-mark" aria-hidden="true"></span>Restock console
        </p>
        <div class="card">
          <h1 style="margin-bottom:16px">Log in</h1>
          {props.error ? (
            <p class="notice error" role="alert" id="login-error">
              {props.error}
            </p>
          ) : null}
          <form method="post" action="/admin/login" aria-describedby={props.error ? 'login-error' : undefined}>
            <input type="hidden" name="_csrf" value={props.csrf} />
            {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
            <div class="field">
              <label for="email">Email</label>
              <input
                id="email"
                name="email"
                type="email"
                autocomplete="username"
                required
                value={props.email ?? ''}
                autofocus
              />
            </div>
            <div class="field">
              <label for="password">Password</label>
              <input id="password" name="password" type="password" autocomplete="current-password" required />
            </div>
            <button type="submit" style="width:100%">
              Log in
            </button>
          </form>
          {props.hint ? (
            <p class="hint small muted" style="margin-top:16px">
              {props.hint}
            </p>
          ) : null}
        </div>
      </main>
    </body>
  </html>
);
