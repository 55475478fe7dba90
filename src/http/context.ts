import type { Scope } from '../config.js';
import type { Metrics, SignupOutcome } from '../metrics/metrics.js';
import type { PageChrome } from './pages/layout.js';

/**
 * Who is calling: a bearer token (its scope) or a console user (their role as scope, their session).
 * `by` names them in the history of what they changed: the user's email, or `token:<scope>`.
 */
export type Principal = {
  scope: Scope;
  via: 'token' | 'session';
  by: string;
  user?: { id: number; email: string; role: 'admin' | 'marketing' };
  session?: { idHash: string; csrfToken: string; expiresAt: Date };
};

/** Hono context variables every router can rely on. */
export type AppEnv = {
  Variables: {
    requestId: string;
    /** Set by `requireScope` / `adminAccess`: who is calling. */
    principal?: Principal;
    /** Set for every request by `createApp`: the shopper's locale's messages and the shop name. */
    page: PageChrome;
    /** This app's metrics registry (set by createApp): routes count what only they know. */
    metrics: Metrics;
    /** Set by the signup routes where the status cannot tell (form redirect, honeypot). */
    signupOutcome?: SignupOutcome;
  };
};
