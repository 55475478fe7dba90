import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { runSendPass } from '../../../src/jobs/send.js';
import { postBackorderLine } from '../../helpers/backorder-line.js';
import { ADMIN_TOKEN, createTestDeps, MARKETING_TOKEN, type TestDeps } from '../../helpers/deps.js';
import { asToken } from './console-helpers.js';

// Issue 21 (6), over HTTP: an order-page link in a captured email can cancel the order, so the dev
// mailbox shows it to marketing users without its token; admins see the message as it was sent.
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  deps = await createTestDeps({ env: { RESTOCK_SETTLE_SECONDS: '0' } });
  app = createApp(deps, deps.services);
  deps.clock.set('2026-03-01T12:00:00Z');
});
afterAll(() => deps?.close());

describe('dev mailbox: order-page tokens', () => {
  it('an order email: the admin sees the signed order links, a marketing user the same message with [hidden]', async () => {
    const { email } = await postBackorderLine(app, {}, 'M');
    await runSendPass(deps, deps.services);

    const list = (await (
      await app.request(`/api/v1/admin/mailbox?q=${encodeURIComponent(email)}`, { headers: asToken(ADMIN_TOKEN) })
    ).json()) as Json;
    expect(list.messages.length).toBe(1);
    const id = list.messages[0].id as string;

    const asAdmin = (await (
      await app.request(`/api/v1/admin/mailbox/${id}`, { headers: asToken(ADMIN_TOKEN) })
    ).json()) as Json;
    const links = [...String(asAdmin.html).matchAll(/https:\/\/[^"\s]+\/orders\/([^"?\s]+)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    const token = links[0]!;
    expect(token).not.toBe('[hidden]');
    expect(String(asAdmin.text)).toContain(token);

    const asMarketing = (await (
      await app.request(`/api/v1/admin/mailbox/${id}`, { headers: asToken(MARKETING_TOKEN) })
    ).json()) as Json;
    expect(JSON.stringify(asMarketing)).not.toContain(token);
    expect(String(asMarketing.html)).toContain('/orders/[hidden]');
    expect(String(asMarketing.text)).toContain('/orders/[hidden]');
    // Everything else is the same message.
    expect(asMarketing.subject).toBe(asAdmin.subject);
    expect(asMarketing.to).toBe(asAdmin.to);
  });
});
