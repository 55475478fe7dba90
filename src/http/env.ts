import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Scope } from '../config.js';

/** Hono context variables every router can rely on. */
export type AppEnv = {
  Variables: {
    requestId: string;
    /** Set by `requireScope`: who is calling. */
    principal?: { scope: Scope };
  };
};

export type Router = OpenAPIHono<AppEnv>;
