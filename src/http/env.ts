import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Scope } from '../config.js';
import type { Metrics, SignupOutcome } from '../metrics/metrics.js';

/** Hono context variables every router can rely on. */
export type AppEnv = {
  Variables: {
    requestId: string;
    /** Set by `requireScope`: who is calling. */
    principal?: { scope: Scope };
    /** This app's metrics registry (set by createApp): routes count what only they know. */
    metrics: Metrics;
    /** Set by the signup route where the status cannot tell (form redirect, honeypot). */
    signupOutcome?: SignupOutcome;
  };
};

export type Router = OpenAPIHono<AppEnv>;
