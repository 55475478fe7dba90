import type { KeyObject } from 'node:crypto';
import { sql } from 'drizzle-orm';
import Handlebars from 'handlebars';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.js';
import { planEtaNotifications } from '../../src/domain/waves/plan-eta-notifications.js';
import { planRestockWaves } from '../../src/domain/waves/plan-restock-waves.js';
import { askStaleSubscribers } from '../../src/domain/repermission/ask-stale-subscribers.js';
import { issueConfirmation } from '../../src/domain/subscriptions/queue-confirmation.js';
import { updateBranding } from '../../src/domain/branding/update-branding.js';
import { getTemplate } from '../../src/domain/templates/get-template.js';
import { publishTemplate } from '../../src/domain/templates/publish-template.js';
import { saveTemplateDraft } from '../../src/domain/templates/save-template-draft.js';
import { confirmation } from '../../src/ledger/kinds/index.js';
import { verifyUnsubscribeToken } from '../../src/domain/subscriptions/tokens.js';
import type { FrameCache } from '../../src/sending/compose-message.js';
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

/**
 * Sends the same deliveries again with every message composed by nodemailer (the reference path; the
 * variables restored, since a final row drops its scrubbed ones) and pairs each message of `first` with
 * its reference by Message-ID.
 */
async function againPerMessage(
  first: ReceivedMessage[],
  queued: { id: number; variables: unknown }[],
  workerId: string,
): Promise<(id: number) => { messageId: string; mine: ReceivedMessage; ref: ReceivedMessage }> {
  sink.messages.length = 0;
  for (const q of queued)
    await rows(
      deps.db,
      sql`update deliveries set status = 'queued', attempts = 0, variables = ${JSON.stringify(q.variables)}::jsonb,
        next_attempt_at = ${deps.clock.now().toISOString()}::timestamptz where id = ${q.id}`,
    );
  const reference = await sendDueDeliveries(deps, { workerId, renderer: deps.services.renderer, composeOnce: false });
  expect(reference.sent).toBe(queued.length);
  expect(reference.spliced).toBe(0);
  const second = await sink.waitFor(queued.length);
  const byId = (ms: ReceivedMessage[]) => new Map(ms.map((m) => [m.parsed.messageId, m]));
  const a = byId(first);
  const b = byId(second);
  return (id) => {
    const messageId = `<delivery-${id}@shop.example>`;
    const mine = a.get(messageId);
    const ref = b.get(messageId);
    expect(mine, messageId).toBeDefined();
    expect(ref, messageId).toBeDefined();
    return { messageId, mine: mine!, ref: ref! };
  };
}

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

    // The same deliveries again, every message composed by nodemailer.
    const pair = await againPerMessage(first, queued, 'reference');
    for (const q of queued) {
      const { messageId, mine, ref } = pair(q.id);
      expect(comparable(mine.parsed), `${q.kind} ${messageId}`).toEqual(comparable(ref.parsed));
      expect(verifyDkim(mine.raw, publicKey, { domain: 'shop.example', selector: 'rn2026' })).toBe('pass');
      expect(verifyDkim(ref.raw, publicKey, { domain: 'shop.example', selector: 'rn2026' })).toBe('pass');
      // The recipient's own one-click link, in the header and in the body.
      const url = (mine.parsed.headers.get('list') as { unsubscribe: { url: string } }).unsubscribe.url;
      const token = new URL(url).searchParams.get('token') ?? '';
      expect(verifyUnsubscribeToken(TEST_SECRET, token)).toBe(q.subscription_id);
      expect(mine.parsed.html).toContain(Handlebars.Utils.escapeExpression(url));
      expect(mine.envelopeTo).toEqual([(mine.parsed.to as { value: { address: string }[] }).value[0]!.address]);
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

// Double opt-in confirmations (transactional): composed once per template and locale, the product
// name and confirm link spliced per message. No List-* header fields, no unsubscribe link; the link
// is scrubbed from the row once it is sent.
describe('confirmations composed once', () => {
  const products = [
    'Salt & Pepper <Mill> "Deluxe"',
    'Café Crème — Größe 42, Waldgrün, limitierte Sonderedition mit extra langem Namen für die Betreffzeile',
    '🎉 Party-Hut',
    "O'Brien's Tee & Kräuter =3D",
    '李小龙 T-Shirt',
  ];
  // `fr` has no template: the English one is picked, and its dates and texts are English.
  const confirmLocales = ['en', 'de', null, 'fr'];
  // Rows as an older build or another producer may have queued them: a name (never set by this
  // build's signup), a long link with `&` and `=`, another link lifetime (a shared variable).
  const extras: { name?: string; confirmUrl?: string; ttlHours?: number; productName?: string }[] = [
    { name: 'Zoë O’Brien-Müller "Zo" & <Co>' },
    { name: '🎉 Party Ada' },
    {
      confirmUrl: `https://shop.example/de-de/kundenkonto/benachrichtigungen/bestaetigen/confirm?token=${'Ab9_-'.repeat(30)}&utm_source=restock&utm_medium=email&x=%3D%26`,
    },
    { ttlHours: 0.5 },
    // Not spliceable (edge whitespace): sent per message inside the same pass.
    { productName: 'Trailing space ' },
  ];

  async function pendingSubscription(sku: string, locale: string | null): Promise<{ id: number; email: string }> {
    const email = `confirm-${uid()}@mail.example`;
    const [row] = await rows<{ id: number }>(
      deps.db,
      sql`insert into subscriptions (email, email_normalized, sku, locale, status, created_at, confirm_expires_at)
      values (${email}, ${email}, ${sku}, ${locale}, 'pending', ${deps.clock.now().toISOString()}::timestamptz,
              ${new Date(deps.clock.now().getTime() + DAY).toISOString()}::timestamptz)
      returning id`,
    );
    return { id: row!.id, email };
  }

  /** Queues confirmations as the signup does (issueConfirmation), plus the `extras` rows. @returns how many. */
  async function queueConfirmations(): Promise<number> {
    let n = 0;
    const sku = await product('Any', null, 0);
    for (const productName of products)
      for (const locale of confirmLocales) {
        const s = await pendingSubscription(sku, locale);
        await issueConfirmation(
          { config: deps.config, clock: deps.clock, db: deps.db, outbox: deps.outbox },
          {
            subscription: { id: s.id, email: s.email, name: null, locale },
            productName,
            expiresAt: new Date(deps.clock.now().getTime() + DAY),
          },
        );
        n += 1;
      }
    for (const extra of extras)
      for (const locale of ['en', 'de']) {
        const s = await pendingSubscription(sku, locale);
        await deps.outbox.enqueue(deps.db, confirmation, {
          to: s.email,
          locale,
          subscriptionId: s.id,
          nonce: uid(),
          variables: {
            productName: products[0],
            name: null,
            confirmUrl: `https://shop.example/confirm?token=${uid()}${uid()}`,
            ttlHours: 48,
            ...extra,
          },
        });
        n += 1;
      }
    return n;
  }

  /**
   * The header section's fields, unfolded, without Date, DKIM-Signature and the boundary. Sorted: the
   * frame writes the per-recipient fields (To, Message-ID, Date) after the shared ones, nodemailer
   * interleaves them (field order carries no meaning, RFC 5322 §3.6).
   */
  function headerLines(raw: string): string[] {
    const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]/g, ' ');
    return head
      .split('\r\n')
      .filter((l) => !/^(date|dkim-signature):/i.test(l))
      .map((l) => l.replace(/boundary="[^"]*"/, 'boundary="*"'))
      .sort();
  }

  /** The body after the header section: the boundary as `*`, quoted-printable soft line breaks removed. */
  function bodyBytes(raw: string): string {
    const boundary = /boundary="([^"]*)"/.exec(raw)?.[1] ?? '';
    return raw.slice(raw.indexOf('\r\n\r\n')).split(boundary).join('*').replace(/=\r\n/g, '');
  }

  /** Sends what is queued twice, spliced and then every message composed by nodemailer; compares them. */
  async function sendBothWays(expectSpliced: (total: number) => number) {
    sink.messages.length = 0;
    const queued = await rows<{ id: number; variables: Record<string, unknown> }>(
      deps.db,
      sql`select id, variables from deliveries where status = 'queued' and kind = 'confirmation' order by id`,
    );
    const spliced = await sendDueDeliveries(deps, { workerId: 'confirm-frames', renderer: deps.services.renderer });
    expect(spliced.sent).toBe(queued.length);
    expect(spliced.spliced).toBe(expectSpliced(queued.length));
    const first = [...(await sink.waitFor(queued.length))];
    // The live link is dropped from the row once it is sent, spliced or not.
    const after = await rows<{ variables: Record<string, unknown> }>(
      deps.db,
      sql`select variables from deliveries where id in ${sql.raw(`(${queued.map((q) => q.id).join(',')})`)}`,
    );
    for (const a of after) expect(a.variables).not.toHaveProperty('confirmUrl');

    const pair = await againPerMessage(first, queued, 'confirm-reference');
    for (const q of queued) {
      const { messageId, mine, ref } = pair(q.id);
      expect(comparable(mine.parsed), messageId).toEqual(comparable(ref.parsed));
      // Header fields as written (encoded words, folding points aside), beyond what a parser normalises.
      expect(headerLines(mine.raw), messageId).toEqual(headerLines(ref.raw));
      expect(verifyDkim(mine.raw, publicKey, { domain: 'shop.example', selector: 'rn2026' })).toBe('pass');
      // The body as sent, soft line breaks aside (the frame encodes its pieces apart, so a
      // quoted-printable line may break elsewhere; `=CRLF` carries no content).
      expect(bodyBytes(mine.raw), messageId).toBe(bodyBytes(ref.raw));
      // Transactional: no List-* header field, no unsubscribe link.
      expect([...mine.parsed.headers.keys()].filter((k) => k.startsWith('list'))).toEqual([]);
      expect(String(mine.parsed.html)).not.toMatch(/unsubscribe|abbestellen/i);
      // The row's own link and product, in the HTML (escaped) and the text.
      const url = String(q.variables.confirmUrl);
      expect(mine.parsed.html).toContain(`href="${Handlebars.Utils.escapeExpression(url)}"`);
      expect(mine.parsed.text).toContain(url);
      expect(mine.parsed.subject).toContain(String(q.variables.productName).trim());
      expect(mine.parsed.text).toContain(`${q.variables.ttlHours}`);
      expect(mine.envelopeTo).toEqual([(mine.parsed.to as { value: { address: string }[] }).value[0]!.address]);
    }
    return first.map((m) => m.parsed);
  }

  it('splices the shipped templates in every locale, equal to the per-message path, without List-* or unsubscribe link', {
    timeout: 120_000,
  }, async () => {
    const total = await queueConfirmations();
    const notSpliceable = 2; // the trailing-space product, en and de
    const all = await sendBothWays((n) => n - notSpliceable);
    expect(total).toBe(products.length * confirmLocales.length + extras.length * 2);
    // The samples cover what they claim: both languages, the names, the long link, the other lifetime.
    expect(all.some((p) => p.text?.includes('Hallo Zoë O’Brien-Müller "Zo" & <Co>,'))).toBe(true);
    expect(all.some((p) => String(p.html).includes('Zoë O’Brien-Müller &quot;Zo&quot; &amp; &lt;Co&gt;'))).toBe(true);
    expect(all.some((p) => p.text?.includes('Hello 🎉 Party Ada,'))).toBe(true);
    expect(all.some((p) => p.text?.includes('Ja, bitte benachrichtigen'))).toBe(true);
    expect(all.some((p) => p.text?.includes('The link works for 0.5 hours'))).toBe(true);
    expect(all.some((p) => p.text?.includes('Der Link ist 0.5 Stunden gültig'))).toBe(true);
    expect(all.some((p) => p.text?.includes('utm_medium=email&x=%3D%26'))).toBe(true);
    expect(all.some((p) => String(p.html).includes('Salt &amp; Pepper &lt;Mill&gt; &quot;Deluxe&quot;'))).toBe(true);
    expect(all.some((p) => p.subject?.includes('Sonderedition mit extra langem Namen'))).toBe(true);
  });

  it('sends a console-edited template that cannot be spliced (a helper over confirmUrl) per message, correctly', {
    timeout: 120_000,
  }, async () => {
    const current = await getTemplate(deps, { key: 'confirm', locale: 'en' });
    const mjml = current.mjml.replace(
      '</mj-button>',
      '</mj-button>\n        <mj-text>Or paste this link: {{#with confirmUrl}}{{this}}{{/with}}</mj-text>',
    );
    expect(mjml).not.toBe(current.mjml);
    const d = { ...deps, renderer: deps.services.renderer };
    await saveTemplateDraft(d, { by: 'test', key: 'confirm', locale: 'en', body: { subject: current.subject, mjml } });
    await publishTemplate(d, { by: 'test', key: 'confirm', locale: 'en' });

    await queueConfirmations();
    // English (en, no locale, fr) goes per message; German is still spliced, but for its trailing-space product.
    const german = products.length + extras.length - 1;
    const all = await sendBothWays(() => german);
    const edited = all.filter((p) => p.text?.includes('Or paste this link:'));
    expect(edited.length).toBe(products.length * 3 + extras.length);
    for (const p of edited) expect(p.text).toMatch(/Or paste this link: https:\/\/shop\.example\/\S*confirm\?token=/);
  });
  it("keeps a lane's frames from one pass to the next, and builds new ones when the branding changes", {
    timeout: 60_000,
  }, async () => {
    const sku = await product('Any', null, 0);
    const cache: FrameCache = {};
    /** One German confirmation (its template is the shipped one), sent in a pass of its own. */
    const lone = async () => {
      sink.messages.length = 0;
      const s = await pendingSubscription(sku, 'de');
      await issueConfirmation(
        { config: deps.config, clock: deps.clock, db: deps.db, outbox: deps.outbox },
        {
          subscription: { id: s.id, email: s.email, name: null, locale: 'de' },
          productName: products[0]!,
          expiresAt: new Date(deps.clock.now().getTime() + DAY),
        },
      );
      const [row] = await rows<{ variables: { confirmUrl: string } }>(
        deps.db,
        sql`select variables from deliveries where status = 'queued' and kind = 'confirmation'`,
      );
      const summary = await sendDueDeliveries(deps, {
        workerId: 'lane',
        renderer: deps.services.renderer,
        frameCache: cache,
      });
      expect(summary.sent).toBe(1);
      expect(summary.spliced).toBe(1);
      const [m] = await sink.waitFor(1);
      expect(m!.parsed.text).toContain(row!.variables.confirmUrl);
      return m!.parsed;
    };
    const first = await lone();
    const frames = cache.frames;
    expect(frames?.stats.frames).toBe(1);
    await lone();
    expect(cache.frames).toBe(frames);
    expect(frames?.stats).toMatchObject({ frames: 1, spliced: 2 });
    expect(first.text).toContain('Gesendet von Müller Outdoor');

    await updateBranding(deps, { by: 'test', branding: { shopName: 'Neuer Laden & Co' } });
    const rebranded = await lone();
    expect(cache.frames).not.toBe(frames);
    expect(rebranded.text).toContain('Gesendet von Neuer Laden & Co');
    expect(String(rebranded.html)).toContain('Gesendet von Neuer Laden &amp; Co');
    await updateBranding(deps, { by: 'test', branding: {} });
  });
});
