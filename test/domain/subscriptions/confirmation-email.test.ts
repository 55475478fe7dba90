import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptions, suppressions } from '../../../src/db/schema/index.js';
import { createApp } from '../../../src/http/app.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { confirmLinkIn, jsonPost, pathOf, uniqueEmail, rowIdOf } from '../../helpers/signup-fixtures.js';
import { createProduct } from '../../helpers/factories.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';

let sink: SmtpSink;
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  sink = await startSmtpSink();
  deps = await createTestDeps({
    smtpUrl: sink.url,
    env: { SHOP_NAME: 'Tees & Co <Berlin>', SIGNUP_RATE_LIMIT_PER_EMAIL: '0' },
  });
  app = createApp(deps, deps.services);
});
afterAll(async () => {
  await deps.close();
  await sink.close();
});

const messagesTo = (email: string) => sink.messages.filter((m) => m.envelopeTo.includes(email));

describe('confirmation email (received by an in-process SMTP server)', () => {
  it('has To, Subject, HTML and text parts with the confirm link; following it activates the subscription', async () => {
    const { sku } = await createProduct(deps, { name: 'Tee <b>"Ocean"</b>' });
    const email = uniqueEmail('mail');
    const res = await app.request('/api/v1/signups', jsonPost({ email, sku, name: 'Jane' }));
    await deps.services.idle(); // the confirmation is sent right after the answer
    expect(res.status).toBe(201);
    const id = await rowIdOf(deps, (await res.json()) as { subscription: { id: string } }, email, sku);

    const [msg] = messagesTo(email);
    expect(msg).toBeDefined();
    const parsed = msg!.parsed;
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : undefined).toBe(email);
    expect(parsed.from?.value[0]?.address).toBe('alerts@localhost');
    expect(parsed.subject).toBe('Confirm your alert for Tee <b>"Ocean"</b>');
    // The name typed into the form is never put into the confirmation (issue 11: no attacker text).
    expect(parsed.text).toContain('Hello,');
    expect(parsed.text).not.toContain('Jane');
    expect(parsed.text).toContain('Tee <b>"Ocean"</b>'); // plain text: not HTML-escaped
    expect(parsed.text).toContain('48 hours');
    expect(parsed.text).toContain('Sent by Tees & Co <Berlin>'); // footer partial
    const html = String(parsed.html);
    expect(html).toContain('Tee &lt;b&gt;&quot;Ocean&quot;&lt;/b&gt;'); // HTML part: escaped
    expect(html).toContain('Tees &amp; Co &lt;Berlin&gt;'); // header partial
    expect(html).not.toContain('{{');

    const link = confirmLinkIn(parsed.text);
    expect(link.startsWith('https://shop.example/confirm?token=')).toBe(true);
    expect(html.replaceAll('&#x3D;', '=')).toContain(`href="${link}"`); // Handlebars escapes "=" as &#x3D;
    expect(msg!.raw).not.toMatch(/^List-Unsubscribe:/im); // transactional, not bulk

    const confirmed = await app.request(pathOf(link));
    expect(confirmed.status).toBe(200);
    const [row] = await deps.db.select().from(subscriptions).where(eq(subscriptions.id, id));
    expect(row?.status).toBe('active');
  });

  it('a failed send does not lose the signup; a re-signup re-sends and the new link works', async () => {
    const { sku } = await createProduct(deps);
    const email = uniqueEmail('bounce');
    sink.setBehaviour(email, '451');
    const res = await app.request('/api/v1/signups', jsonPost({ email, sku }));
    await deps.services.idle(); // the confirmation is sent right after the answer
    expect(res.status).toBe(201);
    const id = await rowIdOf(deps, (await res.json()) as { subscription: { id: string } }, email, sku);
    expect(messagesTo(email)).toHaveLength(0);
    const [row] = await deps.db.select().from(subscriptions).where(eq(subscriptions.id, id));
    expect(row?.status).toBe('pending');

    sink.setBehaviour(email, 'accept');
    const retry = await app.request('/api/v1/signups', jsonPost({ email, sku }));
    await deps.services.idle(); // the confirmation is sent right after the answer
    expect(retry.status).toBe(200);
    const [msg] = messagesTo(email);
    expect((await app.request(pathOf(confirmLinkIn(msg?.parsed.text)))).status).toBe(200);
  });

  it('a hard bounce (550) of the confirmation suppresses the address under the same key signups check', async () => {
    const { sku } = await createProduct(deps);
    const email = uniqueEmail('Hard.Bounce').replace('@example.com', '@Example.COM');
    const sentTo = email.replace('@Example.COM', '@example.com');
    sink.setBehaviour(sentTo, '550');
    expect((await app.request('/api/v1/signups', jsonPost({ email, sku }))).status).toBe(201);
    await deps.services.idle(); // the confirmation is sent right after the answer
    const rows = await deps.db.select().from(suppressions).where(eq(suppressions.email, email.toLowerCase()));
    expect(rows).toHaveLength(1);
  });
});
