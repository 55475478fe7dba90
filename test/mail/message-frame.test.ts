import type { KeyObject } from 'node:crypto';
import { sql } from 'drizzle-orm';
import Handlebars from 'handlebars';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { planEtaNotifications } from '../../src/domain/waves/plan-eta-notifications.js';
import { planRestockWaves } from '../../src/domain/waves/plan-restock-waves.js';
import { askStaleSubscribers } from '../../src/domain/repermission/ask-stale-subscribers.js';
import { verifyUnsubscribeToken } from '../../src/domain/subscriptions/tokens.js';
import { sendDueDeliveries } from '../../src/sending/send-due-deliveries.js';
import { createTestDeps, TEST_SECRET, type TestDeps } from '../helpers/deps.js';
import { dkimKeyPair, verifyDkim } from '../helpers/dkim.js';
import { startSmtpSink, type ReceivedMessage, type SmtpSink } from '../helpers/smtp-sink.js';
import { createEtaEvent, createRestockEvent, uid } from '../helpers/factories.js';

// Compose once, splice per recipient (src/mail/message-frame.ts, src/sending/bulk-frames.ts): every
// bulk kind's messages, sent through the real sender to a real SMTP sink, parse (mailparser) to the
// same headers, HTML and text as the same deliveries sent again with every message composed by
// nodemailer on its own — for names with umlauts, CJK, emoji, HTML specials, long and empty names,
// German and English, with and without a product image. DKIM (a verifier written from RFC 6376)
// passes on both, List-Unsubscribe carries the recipient's own token, Message-ID the delivery's own.

const DAY = 86_400_000;
const longName = `Maximiliane-Dorothea von und zu Überlingen-Großhaßlach = ${'ä'.repeat(40)} & Co`;
const names: (string | null)[] = [
  'Ada',
  'Jürgen Müller-Lüdenscheidt',
  '',
  null,
  `O'Brien & <Sons> "quoted" =3D`,
  longName,
  '李小龙',
  '🎉 Party',
  'Ada  Lovelace',
  // Not spliceable (edge whitespace, a tab): these take the per-message path inside the same pass.
  ' leading space',
  'tab\tname',
];
const locales = ['en', 'de', null];
const notSpliceable = 2;

let sink: SmtpSink;
let deps: TestDeps;
let publicKey: KeyObject;

beforeAll(async () => {
  sink = await startSmtpSink();
  const keys = dkimKeyPair();
  publicKey = keys.publicKey;
  deps = await createTestDeps({
    smtpUrl: sink.url,
    env: {
      MAIL_FROM: 'Läden Müller & Söhne <alerts@shop.example>',
      SHOP_NAME: 'Müller Outdoor',
      SHOW_WAITLIST_COUNT: 'true',
      DKIM_DOMAIN: 'shop.example',
      DKIM_SELECTOR: 'rn2026',
      DKIM_PRIVATE_KEY: keys.privateKeyPem,
    },
  });
});
afterAll(async () => {
  await deps?.close();
  await sink?.close();
});

async function product(name: string, imageUrl: string | null, quantity: number): Promise<string> {
  const sku = `SKU-${uid()}`;
  await rows(
    deps.db,
    sql`insert into products (sku, name, url, image_url, quantity)
    values (${sku}, ${name}, ${`https://shop.example/p/${sku}?ref=a&b=c`}, ${imageUrl}, ${quantity})`,
  );
  return sku;
}

async function subscribe(sku: string): Promise<void> {
  const at = new Date(deps.clock.now().getTime() - DAY).toISOString();
  let i = 0;
  for (const name of names)
    for (const locale of locales) {
      const email = `frame-${uid()}-${i++}@mail.example`;
      await rows(
        deps.db,
        sql`insert into subscriptions (email, email_normalized, sku, locale, name, status, created_at, confirmed_at)
        values (${email}, ${email}, ${sku}, ${locale}, ${name}, 'active', ${at}::timestamptz, ${at}::timestamptz)`,
      );
    }
}

/** What must match between the two paths: everything but Date, the random MIME boundary and the signature over them. */
function comparable(p: ParsedMail) {
  const headers = Object.fromEntries(
    [...p.headers]
      .filter(([k]) => k !== 'date' && k !== 'dkim-signature')
      .map(([k, v]) => [
        k,
        k === 'content-type'
          ? { ...(v as { params: object }), params: { ...(v as { params: object }).params, boundary: '*' } }
          : v,
      ]),
  );
  return {
    headers,
    subject: p.subject,
    from: p.from,
    to: p.to,
    messageId: p.messageId,
    html: p.html,
    text: p.text,
    attachments: p.attachments.length,
  };
}

describe('compose once, splice per recipient', () => {
  it('sends every bulk kind spliced, byte-for-byte equivalent to the per-message path once parsed, DKIM-signed', {
    timeout: 180_000,
  }, async () => {
    // Subscribers first, then 181 days later (still-interested asks after 180) the events.
    const withImage = await product(
      'Trail Runner 2 — Größe 42, Waldgrün, limitierte Sonderedition mit extra langem Namen für die Betreffzeile',
      'https://cdn.example/t&r.jpg',
      0,
    );
    const noImage = await product('Wollsocken "Alpin" <3er-Pack>', null, 0);
    const eta = await product('Rucksack 30 l', null, 0);
    for (const sku of [withImage, noImage, eta]) await subscribe(sku);
    deps.clock.advance(181 * DAY);
    await createRestockEvent(deps, withImage, 500);
    await createRestockEvent(deps, noImage, 2);
    await createEtaEvent(deps, eta, '2027-01-10', '2027-02-20', 'Lieferverzug beim Hersteller');
    await planRestockWaves(deps);
    await planEtaNotifications(deps);
    await askStaleSubscribers(deps);

    const queued = await rows<{ id: number; kind: string; subscription_id: number; variables: unknown }>(
      deps.db,
      sql`select id, kind, subscription_id, variables from deliveries where status = 'queued' order by id`,
    );
    const kinds = new Set(queued.map((q) => q.kind));
    expect([...kinds].sort()).toEqual(['back-in-stock', 'eta-revised', 'still-interested']);
    const perKind = names.length * locales.length;
    expect(queued.length).toBe(4 * perKind); // two restocks, one ETA change, one "still interested?" for the ETA waitlist

    const spliced = await sendDueDeliveries(deps, { workerId: 'frames', renderer: deps.services.renderer });
    expect(spliced.sent).toBe(queued.length);
    expect(spliced.spliced).toBe(queued.length - 4 * notSpliceable * locales.length);
    const first = [...(await sink.waitFor(queued.length))];

    // The same deliveries again, every message composed by nodemailer (the variables restored: a
    // final row drops its scrubbed ones, e.g. still-interested's keep link).
    sink.messages.length = 0;
    for (const q of queued)
      await rows(
        deps.db,
        sql`update deliveries set status = 'queued', attempts = 0, variables = ${JSON.stringify(q.variables)}::jsonb,
        next_attempt_at = ${deps.clock.now().toISOString()}::timestamptz where id = ${q.id}`,
      );
    const reference = await sendDueDeliveries(deps, {
      workerId: 'reference',
      renderer: deps.services.renderer,
      composeOnce: false,
    });
    expect(reference.sent).toBe(queued.length);
    expect(reference.spliced).toBe(0);
    const second = await sink.waitFor(queued.length);

    const byId = (ms: ReceivedMessage[]) => new Map(ms.map((m) => [m.parsed.messageId, m]));
    const a = byId(first);
    const b = byId(second);
    for (const q of queued) {
      const messageId = `<delivery-${q.id}@shop.example>`;
      const mine = a.get(messageId);
      const ref = b.get(messageId);
      expect(mine, messageId).toBeDefined();
      expect(comparable(mine!.parsed), `${q.kind} ${messageId}`).toEqual(comparable(ref!.parsed));
      expect(verifyDkim(mine!.raw, publicKey, { domain: 'shop.example', selector: 'rn2026' })).toBe('pass');
      expect(verifyDkim(ref!.raw, publicKey, { domain: 'shop.example', selector: 'rn2026' })).toBe('pass');
      // The recipient's own one-click link, in the header and in the body.
      const url = (mine!.parsed.headers.get('list') as { unsubscribe: { url: string } }).unsubscribe.url;
      const token = new URL(url).searchParams.get('token') ?? '';
      expect(verifyUnsubscribeToken(TEST_SECRET, token)).toBe(q.subscription_id);
      expect(mine!.parsed.html).toContain(Handlebars.Utils.escapeExpression(url));
      expect(mine!.envelopeTo).toEqual([(mine!.parsed.to as { value: { address: string }[] }).value[0]!.address]);
    }
    // The samples really cover what they claim to: German, an image, a long folded subject, the names.
    const all = first.map((m) => m.parsed);
    expect(all.some((p) => p.subject?.includes('Größe') && String(p.html).includes('cdn.example/t&amp;r.jpg'))).toBe(
      true,
    );
    expect(all.some((p) => String(p.html).includes('Wollsocken') && !String(p.html).includes('<img'))).toBe(true);
    expect(all.some((p) => p.text?.includes('Hallo'))).toBe(true);
    expect(all.some((p) => p.text?.includes(longName))).toBe(true);
    expect(
      all.some((p) => String(p.html).includes('O&#x27;Brien &amp; &lt;Sons&gt; &quot;quoted&quot; &#x3D;3D')),
    ).toBe(true);
    expect(all.some((p) => p.text?.includes('🎉 Party'))).toBe(true);
  });
});
