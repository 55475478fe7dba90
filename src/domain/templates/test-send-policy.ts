import { inArray } from 'drizzle-orm';
import { createCounterStore } from '../../db/counters.js';
import { suppressions } from '../../db/schema/index.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { normalizeEmail } from '../../mail/address.js';

/** Who asks for a test send: `by` identifies the user or token (the rate limit's key), `email` a user's own address. */
export type TestSendCaller = { by: string; email?: string };

/**
 * Test sends go to staff only (issue 21 finding 4: a marketing token could mail arbitrary HTML from
 * the shop's domain to anyone): the caller's own console address, or an address or `@domain` listed
 * in TEST_SEND_ALLOWED. Suppressed and erased addresses (erasure suppresses with reason `erased`) are
 * refused like everyone's mail; at most TEST_SEND_RATE_LIMIT_PER_HOUR per user or token, counted in
 * `rate_counters` (shared by every web process) on PostgreSQL.
 * @throws AppError FORBIDDEN (not staff, suppressed), RATE_LIMITED (Retry-After).
 */
export async function assertTestSendAllowed(
  deps: Pick<Deps, 'db' | 'config' | 'clock'>,
  input: { caller: TestSendCaller; to: string },
): Promise<void> {
  const { caller, to } = input;
  const address = normalizeEmail(to);
  const own = caller.email !== undefined && normalizeEmail(caller.email) === address;
  const domain = address.slice(address.lastIndexOf('@'));
  const listed = deps.config.testSend.allowed.some((entry) => entry === address || entry === domain);
  if (!own && !listed) {
    throw new AppError(
      'FORBIDDEN',
      'Test sends go to your own console address or to an address in TEST_SEND_ALLOWED.',
      { details: [{ path: 'to', message: 'not a staff address' }] },
    );
  }
  const [suppressed] = await deps.db
    .select({ reason: suppressions.reason })
    .from(suppressions)
    .where(inArray(suppressions.email, [address]))
    .limit(1);
  if (suppressed) {
    throw new AppError(
      'FORBIDDEN',
      `This address receives no mail (suppressed: ${suppressed.reason === 'erased' ? 'erased' : suppressed.reason}).`,
      { details: [{ path: 'to', message: 'suppressed' }] },
    );
  }
  const perHour = deps.config.testSend.ratePerHour;
  if (perHour > 0) {
    const now = deps.clock.now();
    const [count] = await createCounterStore(deps.db, deps.config.database.kind).add(
      [{ key: `test-send:${caller.by}`, windowMs: 3_600_000 }],
      now,
    );
    if (count && count.count > perHour) {
      throw new AppError('RATE_LIMITED', `At most ${perHour} test sends an hour. Try again later.`, {
        retryAfter: Math.ceil((count.expiresAt.getTime() - now.getTime()) / 1000),
      });
    }
  }
}
