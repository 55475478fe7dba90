import type { FC } from 'hono/jsx';

export type LoginPageProps = {
  csrf: string;
  email?: string;
  error?: string;
  next?: string;
  /** Development only: how to get a first user (never shown in production). */
  hint?: string;
};

const css = `
:root{--accent:#1d4ed8}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;background:#f3f4f6;color:#111827;margin:0;padding:3rem 1rem;line-height:1.5}
main{max-width:24rem;margin:0 auto;background:#fff;border-radius:.75rem;padding:2rem;box-shadow:0 1px 3px rgba(0,0,0,.1)}
h1{font-size:1.35rem;margin:0 0 1.25rem}
label{display:block;font-weight:600;margin:1rem 0 .3rem}
input{width:100%;padding:.6rem;border:1px solid #6b7280;border-radius:.4rem;font-size:1rem}
input:focus,button:focus{outline:3px solid var(--accent);outline-offset:2px}
button{margin-top:1.5rem;width:100%;padding:.7rem;border:0;border-radius:.4rem;background:var(--accent);color:#fff;font-size:1rem;font-weight:600;cursor:pointer}
.error{background:#fef2f2;color:#991b1b;border:1px solid #fecaca;border-radius:.4rem;padding:.6rem .8rem;margin:0 0 1rem}
.hint{color:#4b5563;font-size:.875rem;margin-top:1.5rem}
`;

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
      <style>{css}</style>
    </head>
    <body>
      <main>
        <h1>Log in to the console</h1>
        {props.error ? (
          <p class="error" role="alert" id="login-error">
            {props.error}
          </p>
        ) : null}
        <form method="post" action="/admin/login" aria-describedby={props.error ? 'login-error' : undefined}>
          <input type="hidden" name="_csrf" value={props.csrf} />
          {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required value={props.email ?? ''} autofocus />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <button type="submit">Log in</button>
        </form>
        {props.hint ? <p class="hint">{props.hint}</p> : null}
      </main>
    </body>
  </html>
);
