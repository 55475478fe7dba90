import { cors } from 'hono/cors';

/** Stand-in until the http helper's CORS middleware lands on main (then this file goes). */
export const corsForShopperApis = (allowed: string[]) =>
  cors({ origin: (origin) => (allowed.includes(origin) ? origin : null), allowMethods: ['GET', 'POST'], allowHeaders: ['Content-Type'], maxAge: 600 });
