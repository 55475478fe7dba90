import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { subscriptions } from '../../src/db/schema/index.js';
import { publicSubscriptionId } from '../../src/domain/subscriptions/public-id.js';
import type { Deps } from '../../src/deps.js';

/** A unique address for one test. */
export const uniqueEmail = (tag = 'shopper') => `${tag}-${randomBytes(4).toString('hex')}@example.com`;

/** Env for `app.request(path, init, env)` so `getConnInfo` sees a socket address, as under @hono/node-server. */
export const fromIp = (address: string) => ({
  incoming: { socket: { remoteAddress: address, remotePort: 40000, remoteFamily: 'IPv4' } },
});

export const jsonPost = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export const formPost = (fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
});

/** The confirm link in a received email's text part. */
export function confirmLinkIn(text: string | undefined): string {
  const match = /https?:\/\/\S+\/confirm\?token=[A-Za-z0-9_%.-]+/.exec(text ?? '');
  if (!match) throw new Error(`no confirm link in: ${text}`);
  return match[0];
}

/** Path + query of an absolute link, for `app.request()`. */
export const pathOf = (link: string) => {
  const u = new URL(link);
  return `${u.pathname}${u.search}`;
};

/**
 * The row id behind a public signup answer: public ids are opaque (`sub_…`), so tests find the row by
 * address and SKU and check that the answer's id is the one derived from that row.
 */
export async function rowIdOf(
  deps: Pick<Deps, 'db' | 'config'>,
  answer: { subscription?: { id?: unknown } },
  email: string,
  sku: string,
): Promise<number> {
  const [row] = await deps.db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(and(eq(subscriptions.emailNormalized, email.trim().toLowerCase()), eq(subscriptions.sku, sku)));
  if (!row) throw new Error(`no subscription for ${email} / ${sku}`);
  if (answer.subscription?.id !== publicSubscriptionId(deps.config.appSecret, row.id))
    throw new Error(`answer id ${String(answer.subscription?.id)} is not row ${row.id}'s public id`);
  return row.id;
}
