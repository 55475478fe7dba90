import { runSendPass } from '../../../src/jobs/send.js';
import { rows as dbRows } from '../../../src/db/client.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planEtaNotifications } from '../../../src/domain/waves/plan-eta-notifications.js';
import { planRestockWaves } from '../../../src/domain/waves/plan-restock-waves.js';
import { createServices } from '../../../src/services.js';
import { onPostgres } from '../../helpers/db.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';
import {
  createEtaEvent,
  createProduct,
  createRestockEvent,
  createSubscribers,
  deliveriesOf,
  setQuantity,
} from '../../helpers/factories.js';

let deps: TestDeps;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
  deps = await createTestDeps({ smtpUrl: sink.url, env: { WAVE_INTERVAL_MINUTES: '60', NOTIFY_PER_UNIT: '1' } });
});
afterAll(async () => {
  await deps?.close();
  await sink?.close();
});

const receivedBy = (emails: string[]) => sink.messages.filter((m) => m.envelopeTo.some((t) => emails.includes(t)));

describe('fair restock waves', () => {
  it('10 subscribers and 3 units: the 3 oldest get mail; a later wave follows more stock; sold out stops waves', async () => {
    const { sku } = await createProduct(deps, { quantity: 0 });
    const subs = await createSubscribers(deps, sku, 10);
    const emails = subs.map((s) => s.email);
    const event = await createRestockEvent(deps, sku, 3);

    const first = await runSendPass(deps, deps.services);
    expect(first).toMatchObject({ waves: 1, waveQueued: 3, sent: 3 });
    expect(
      receivedBy(emails)
        .map((m) => m.envelopeTo[0])
        .sort(),
    ).toEqual(emails.slice(0, 3).sort());
    const statuses = await dbRows<{ status: string }>(
      deps.db,
      sql`select status from subscriptions where sku = ${sku} order by confirmed_at`,
    );
    expect(statuses.map((s) => s.status)).toEqual([...Array(3).fill('notified'), ...Array(7).fill('active')]);

    // Before the interval: nothing new, even with more stock.
    await setQuantity(deps, sku, 2);
    deps.clock.advance(59 * 60_000);
    expect(await runSendPass(deps, deps.services)).toMatchObject({ waves: 0, sent: 0 });

    // After the interval, the quantity available *then* (2) sizes the wave: the next two oldest.
    deps.clock.advance(2 * 60_000);
    expect(await runSendPass(deps, deps.services)).toMatchObject({ waves: 1, waveQueued: 2, sent: 2 });
    expect(
      receivedBy(emails)
        .map((m) => m.envelopeTo[0])
        .sort(),
    ).toEqual(emails.slice(0, 5).sort());

    // Sold out: no further wave, the other 5 stay on the waitlist.
    await setQuantity(deps, sku, 0);
    deps.clock.advance(61 * 60_000);
    expect(await runSendPass(deps, deps.services)).toMatchObject({ waves: 0, sent: 0 });
    const waves = await dbRows<{ wave_no: number; quantity: number; queued: number }>(
      deps.db,
      sql`select wave_no, quantity, queued from restock_waves where restock_event_id = ${event} order by wave_no`,
    );
    expect(waves).toEqual([
      { wave_no: 1, quantity: 3, queued: 3 },
      { wave_no: 2, quantity: 2, queued: 2 },
    ]);
    const active = await dbRows<{ n: number }>(
      deps.db,
      sql`select count(*)::int as n from subscriptions where sku = ${sku} and status = 'active'`,
    );
    expect(active[0]?.n).toBe(5);

    // The next restock event picks up the waitlist where it stopped.
    await createRestockEvent(deps, sku, 1);
    expect(await runSendPass(deps, deps.services)).toMatchObject({ waves: 1, waveQueued: 1, sent: 1 });
    expect(
      receivedBy(emails)
        .map((m) => m.envelopeTo[0])
        .sort(),
    ).toEqual(emails.slice(0, 6).sort());
  });

  it('replaying the wave planner and the sender sends nothing twice', async () => {
    const { sku } = await createProduct(deps, { quantity: 0 });
    const subs = await createSubscribers(deps, sku, 4);
    const event = await createRestockEvent(deps, sku, 10);
    await runSendPass(deps, deps.services);
    await runSendPass(deps, deps.services);
    // Even with the subscriptions active again, wave 1 exists and the interval has not passed: nothing new.
    await dbRows(deps.db, sql`update subscriptions set status = 'active' where sku = ${sku}`);
    await runSendPass(deps, deps.services);
    expect((await deliveriesOf(deps, { templateKey: 'back-in-stock', eventId: event })).length).toBe(4);
    const got = receivedBy(subs.map((s) => s.email));
    expect(got).toHaveLength(4);
  });

  it('a wave is queued in pages and still takes exactly the oldest ceil(quantity × NOTIFY_PER_UNIT)', async () => {
    const { sku } = await createProduct(deps, { quantity: 0 });
    const subs = await createSubscribers(deps, sku, 10);
    const event = await createRestockEvent(deps, sku, 7);
    expect(await planRestockWaves(deps, { pageSize: 3 })).toEqual({ waves: 1, queued: 7 });
    const rows = await deliveriesOf(deps, { templateKey: 'back-in-stock', eventId: event });
    expect(rows.map((r) => r.subscription_id).sort()).toEqual(
      subs
        .slice(0, 7)
        .map((s) => s.id)
        .sort(),
    );
    const [wave] = await dbRows<{ queued: number; completed: boolean }>(
      deps.db,
      sql`select queued, completed_at is not null as completed from restock_waves where restock_event_id = ${event}`,
    );
    expect(wave).toEqual({ queued: 7, completed: true });
    await runSendPass(deps, deps.services);
  });

  it('a wave a crashed planner left unfinished is continued, not restarted', async () => {
    const { sku } = await createProduct(deps, { quantity: 0 });
    const subs = await createSubscribers(deps, sku, 6);
    const event = await createRestockEvent(deps, sku, 4);
    // As if a planner died after queuing the first page (the 2 oldest) of a 4-recipient wave.
    const at = deps.clock.now().toISOString();
    await dbRows(
      deps.db,
      sql`insert into restock_waves (restock_event_id, wave_no, quantity, max_recipients, queued, created_at)
      values (${event}, 1, 4, 4, 2, ${at}::timestamptz)`,
    );
    await dbRows(
      deps.db,
      sql`update subscriptions set status = 'notified' where id in (${subs[0]!.id}, ${subs[1]!.id})`,
    );
    expect(await planRestockWaves(deps)).toEqual({ waves: 0, queued: 2 });
    const rows = await deliveriesOf(deps, { templateKey: 'back-in-stock', eventId: event });
    expect(rows.map((r) => r.subscription_id)).toEqual([subs[2]!.id, subs[3]!.id]);
    expect(await planRestockWaves(deps)).toEqual({ waves: 0, queued: 0 });
    await runSendPass(deps, deps.services);
  });

  it('NOTIFY_PER_UNIT=0 notifies the whole waitlist in one wave', async () => {
    const other = await createTestDeps({ smtpUrl: sink.url, env: { NOTIFY_PER_UNIT: '0' } });
    try {
      const { sku } = await createProduct(other, { quantity: 0 });
      const subs = await createSubscribers(other, sku, 7);
      await createRestockEvent(other, sku, 1);
      expect(await runSendPass(other, other.services)).toMatchObject({ waves: 1, waveQueued: 7, sent: 7 });
      expect(receivedBy(subs.map((s) => s.email))).toHaveLength(7);
    } finally {
      await other.close();
    }
  });

  it('an ETA revision goes to every active subscriber of the SKU once, dates in the language of the template picked', async () => {
    const { sku } = await createProduct(deps, { quantity: 0, name: 'Kettle' });
    const en = await createSubscribers(deps, sku, 3, { locale: 'en-US' });
    const de = await createSubscribers(deps, sku, 2, { locale: 'de-DE' });
    const [unsub] = await createSubscribers(deps, sku, 1);
    await dbRows(deps.db, sql`update subscriptions set status = 'unsubscribed' where id = ${unsub!.id}`);
    const superseded = await createEtaEvent(deps, sku, null, '2026-04-01', null);
    const event = await createEtaEvent(deps, sku, '2026-04-01', '2026-04-15', 'Supplier delay');
    const summary = await runSendPass(deps, deps.services);
    expect(summary).toMatchObject({ etaQueued: 5, sent: 5 });
    await runSendPass(deps, deps.services);
    expect(await deliveriesOf(deps, { templateKey: 'eta-revised', eventId: superseded })).toHaveLength(0);
    expect(await deliveriesOf(deps, { templateKey: 'eta-revised', eventId: event })).toHaveLength(5);
    const enMail = receivedBy(en.map((s) => s.email));
    const deMail = receivedBy(de.map((s) => s.email));
    expect(enMail).toHaveLength(3);
    expect(deMail).toHaveLength(2);
    expect(enMail[0]!.parsed.subject).toBe('New expected date for Kettle');
    expect(enMail[0]!.parsed.text).toContain('April 15, 2026');
    expect(enMail[0]!.parsed.text).toContain('April 1, 2026');
    expect(enMail[0]!.parsed.text).toContain('Supplier delay');
    expect(deMail[0]!.parsed.text).toContain('15. April 2026');
    expect(deMail[0]!.parsed.text).not.toContain('April 15, 2026');
    expect(receivedBy([unsub!.email])).toHaveLength(0);
  });

  it('an ETA fan-out is queued in pages by subscription id; a replay queues nothing', async () => {
    const { sku } = await createProduct(deps, { quantity: 0 });
    const subs = await createSubscribers(deps, sku, 5);
    const event = await createEtaEvent(deps, sku, '2026-05-01', '2026-05-20', null);
    expect(await planEtaNotifications(deps, { pageSize: 2 })).toMatchObject({ queued: 5 });
    expect(await planEtaNotifications(deps, { pageSize: 2 })).toMatchObject({ events: 0, queued: 0 });
    const rows = await deliveriesOf(deps, { templateKey: 'eta-revised', eventId: event });
    expect(rows.map((r) => r.subscription_id)).toEqual(subs.map((s) => s.id));
    await runSendPass(deps, deps.services);
  });

  it('the planner schedules each restock event: next wave one interval on, none once sold out or superseded', async () => {
    const nextWaveAt = async (id: number) =>
      (
        await dbRows<{ at: string | null }>(
          deps.db,
          sql`select next_wave_at::text as at from restock_events where id = ${id}`,
        )
      )[0]?.at ?? null;
    const { sku } = await createProduct(deps, { quantity: 0 });
    await createSubscribers(deps, sku, 5);
    const first = await createRestockEvent(deps, sku, 1);
    await runSendPass(deps, deps.services);
    const waveAt = deps.clock.now().getTime();
    expect(new Date(String(await nextWaveAt(first))).getTime()).toBe(waveAt + 60 * 60_000);

    // A newer restock of the SKU supersedes the old event: the old one is never looked at again.
    const second = await createRestockEvent(deps, sku, 1);
    deps.clock.advance(61 * 60_000);
    await runSendPass(deps, deps.services); // other tests' events may get waves in this run too: count per event
    expect(await nextWaveAt(first)).toBeNull();
    expect(await deliveriesOf(deps, { templateKey: 'back-in-stock', eventId: first })).toHaveLength(1);
    expect(await deliveriesOf(deps, { templateKey: 'back-in-stock', eventId: second })).toHaveLength(1);

    // Sold out when the next wave is due: no wave, and the event leaves the schedule.
    await setQuantity(deps, sku, 0);
    deps.clock.advance(61 * 60_000);
    await runSendPass(deps, deps.services);
    expect(await nextWaveAt(second)).toBeNull();
    // Stock back without a new restock event (e.g. a return): the old event stays off the schedule.
    await setQuantity(deps, sku, 3);
    deps.clock.advance(61 * 60_000);
    await runSendPass(deps, deps.services);
    expect(await deliveriesOf(deps, { templateKey: 'back-in-stock', eventId: second })).toHaveLength(1);
    const waves = await dbRows<{ n: number }>(
      deps.db,
      sql`select count(*)::int as n from restock_waves where restock_event_id in (${first}, ${second})`,
    );
    expect(waves[0]?.n).toBe(2);
  });

  it.skipIf(!onPostgres)('two senders racing on PostgreSQL deliver to each recipient exactly once', async () => {
    const { sku } = await createProduct(deps, { quantity: 0 });
    const subs = await createSubscribers(deps, sku, 60);
    await createRestockEvent(deps, sku, 60);
    const a = createServices(deps);
    const b = createServices(deps);
    const [ra, rb] = await Promise.all([runSendPass(deps, a), runSendPass(deps, b)]);
    expect(ra.waveQueued + rb.waveQueued).toBe(60);
    // Both summaries in the failure message: which sender claimed, deferred or retried what.
    expect({ sent: ra.sent + rb.sent, ra, rb }).toMatchObject({ sent: 60 });
    const got = receivedBy(subs.map((s) => s.email));
    expect(got).toHaveLength(60);
    expect(new Set(got.map((m) => m.envelopeTo[0])).size).toBe(60);
  });
});
