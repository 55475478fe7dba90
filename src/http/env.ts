import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Scope } from '../config.js';
import type { Metrics, SignupOutcome } from '../metrics/metrics.js';
import type { PageChrome } from './pages/layout.js';

/** Hono context variables every router can rely on. */
export type AppEnv = {
  Variables: {
    requestId: string;
    /** Set by `requireScope`: who is calling. */
    principal?: { scope: Scope };
    /** Set for every request by `createApp`: the shopper's locale's messages and the shop name. */
    page: PageChrome;
    /** This app's metrics registry (set by createApp): routes count what only they know. */
    metrics: Metrics;
    /** Set by the signup routes where the status cannot tell (form redirect, honeypot). */
    signupOutcome?: SignupOutcome;
  };
};

export type Router = OpenAPIHono<AppEnv>;
