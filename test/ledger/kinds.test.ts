import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { claimDeliveries } from '../../src/ledger/claim-deliveries.js';
import { enqueueDelivery } from '../../src/ledger/enqueue.js';
import { createKindRegistry, deliveryKinds, skipRules, type DeliveryKind } from '../../src/ledger/kinds/index.js';
import { createTestDeps, type TestDeps } from '../helpers/deps.js';

let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(() => deps.close());

/** A kind as a new file would declare it (no stub: it goes through the real ledger statements). */
const probe = (key: string, skipWhen = skipRules.never): DeliveryKind => ({
  key,
  channel: 'email',
  templateKey: 'back-in-stock',
  lane: 'transactional',
  ref: null,
  dedupeKey: ({ subscription, nonce }) => sql`${key} || ':' || coalesce(${subscription}::text, '-') || ':' || ${nonce}`,
  skipWhen,
  scrub: ['secret'],
  variables: ['productName'],
});

describe('delivery-kind registry', () => {
  it('the shipped registry has its kinds; a duplicate key is refused; an unknown key throws', () => {
    // Other branches add kinds too: check these are present rather than the exact list.
    expect(deliveryKinds.kinds.map((k) => k.key)).toEqual(
      expect.arrayContaining([
        'confirmation',
        'back-in-stock',
        'eta-revised',
        'still-interested',
        'backorder-confirmed',
        'delivery-date-revised',
        'order-shipping-soon',
        'order-event',
      ]),
    );
    expect(() => createKindRegistry([...deliveryKinds.kinds, probe('confirmation')])).toThrow(/registered twice/);
    expect(() => deliveryKinds.get('nope')).toThrow(/unknown delivery kind/);
  });

  it('a registered kind gets its dedupe key, its lane and its own skip rule composed into the claim', async () => {
    const skipping = probe('probe-skip', sql`d.variables->>'productName' = 'skip me'`);
    const sending = probe('probe-send');
    const registry = createKindRegistry([...deliveryKinds.kinds, skipping, sending]);
    const a = await enqueueDelivery(deps, deps.db, skipping, {
      to: 'a@example.com',
      variables: { productName: 'skip me', secret: 's' },
      nonce: 'n1',
    });
    const b = await enqueueDelivery(deps, deps.db, sending, {
      to: 'b@example.com',
      variables: { productName: 'skip me', secret: 's' },
      nonce: 'n1',
    });
    // Idempotent on the kind's key: the same message again adds nothing.
    expect(
      await enqueueDelivery(deps, deps.db, sending, { to: 'b@example.com', variables: {}, nonce: 'n1' }),
    ).toBeUndefined();
    const stored = await rows<{ id: number; kind: string; dedupe_key: string; priority: number; bulk: boolean }>(
      deps.db,
      sql`select id, kind, dedupe_key, priority, bulk from deliveries where id in (${a}, ${b}) order by id`,
    );
    expect(stored).toEqual([
      { id: a, kind: 'probe-skip', dedupe_key: 'probe-skip:-:n1', priority: 0, bulk: false },
      { id: b, kind: 'probe-send', dedupe_key: 'probe-send:-:n1', priority: 0, bulk: false },
    ]);
    const claimed = await claimDeliveries(deps, {
      workerId: 'kinds-test',
      limit: 100,
      leaseSeconds: 60,
      kinds: registry,
    });
    const byId = new Map(claimed.map((c) => [c.id, c]));
    expect(byId.get(a as number)).toMatchObject({ kind: 'probe-skip', skip: true });
    expect(byId.get(b as number)).toMatchObject({ kind: 'probe-send', skip: false });
  });
});
