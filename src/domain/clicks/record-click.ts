import { sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { classifyClick } from './classify-click.js';
import { verifyClickToken } from './link-token.js';

export type ClickOutcome = { target: string; class: 'first' | 'repeat' | 'scanner' | 'unrecorded' };

/**
 * A request to a tracked link (GET/HEAD /r/{token}): verifies the token, records the click and
 * returns where to send the visitor. The first person's click of a delivery is `first` (the partial
 * unique index makes a race of two clicks record one first), later ones `repeat`, machines `scanner`
 * (classify-click.ts). A delivery deleted by retention still redirects, unrecorded. No IP address and
 * no user agent are stored.
 * @throws AppError INVALID_TOKEN for a malformed or forged token (never a redirect then).
 */
export async function recordClick(
  ctx: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: { token: string; method: string; userAgent: string | undefined },
): Promise<ClickOutcome> {
  const link = verifyClickToken(ctx.config.appSecret, input.token);
  if (!link) throw new AppError('INVALID_TOKEN', 'This link is not valid.');
  const at = ctx.clock.now();
  const [delivery] = await rows<{ sent_at: Date | string | null }>(
    ctx.db,
    sql`
    select sent_at from deliveries where id = ${link.deliveryId}`,
  );
  if (!delivery) return { target: link.target, class: 'unrecorded' };
  const deliveredAt = delivery.sent_at === null ? null : new Date(delivery.sent_at);
  const c = classifyClick({ method: input.method, userAgent: input.userAgent, deliveredAt, at });
  const insert = (cls: string, reason: string | null) =>
    rows<{ id: number }>(
      ctx.db,
      sql`insert into link_clicks (delivery_id, clicked_at, class, reason)
      values (${link.deliveryId}, ${at.toISOString()}::timestamptz, ${cls}, ${reason})
      on conflict (delivery_id) where class = 'first' do nothing returning id`,
    );
  if (c.kind === 'scanner') {
    await insert('scanner', c.reason);
    return { target: link.target, class: 'scanner' };
  }
  if ((await insert('first', null))[0]) return { target: link.target, class: 'first' };
  await insert('repeat', null);
  return { target: link.target, class: 'repeat' };
}
