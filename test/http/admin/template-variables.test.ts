import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/http/app.js';
import { listMailbox, readMailboxMessage } from '../../../src/domain/mailbox/read-mailbox.js';
import { runSendPass } from '../../../src/jobs/send.js';
import { createTestDeps, MARKETING_TOKEN, type TestDeps } from '../../helpers/deps.js';
import { createProduct, createRestockEvent, createSubscribers } from '../../helpers/factories.js';
import { asToken } from './console-helpers.js';

/** Issue 20 point 11: a marketer adds a variable (name, sample value, default); undeclared ones still block. */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
const h = asToken(MARKETING_TOKEN);
beforeAll(async () => {
  deps = await createTestDeps();
  app = createApp(deps, deps.services);
});
afterAll(() => deps.close());

const add = (v: Json) =>
  app.request('/api/v1/admin/template-variables', { method: 'POST', headers: h, body: JSON.stringify(v) });
async function withLine(extra: string) {
  const t = (await (await app.request('/api/v1/admin/templates/back-in-stock/en', { headers: h })).json()) as Json;
  return {
    subject: t.subject as string,
    mjml: (t.mjml as string).replace('<mj-button href=', `<mj-text>${extra}</mj-text>\n        <mj-button href=`),
  };
}
const preview = async (body: Json) =>
  (await (
    await app.request('/api/v1/admin/templates/back-in-stock/en/preview', {
      method: 'POST',
      headers: h,
      body: JSON.stringify(body),
    })
  ).json()) as Json;
const undeclared = (checks: Json[]) =>
  checks.filter((c) => c.code === 'UNDECLARED_VARIABLE').map((c) => c.message as string);

describe('shop variables', () => {
  it('an added variable is declared for every template: previews show its sample, sends its default; others still block', async () => {
    const res = await add({
      name: 'supportPhone',
      description: 'Customer service line',
      sampleValue: '+49 30 1234 567',
      defaultValue: '+49 30 9999 000',
    });
    expect(res.status).toBe(200);
    expect((await res.json()) as Json).toMatchObject({ name: 'supportPhone', updatedBy: 'token:marketing' });
    const list = (await (await app.request('/api/v1/admin/template-variables', { headers: h })).json()) as Json;
    expect(list.variables.map((v: Json) => v.name)).toEqual(['supportPhone']);

    const body = await withLine('Questions? Call {{supportPhone}}. Code: {{couponCode}}');
    const p = await preview(body);
    expect(p.html).toContain('+49 30 1234 567');
    expect(undeclared(p.checks)).toEqual([expect.stringContaining('{{couponCode}}')]);

    const clean = await withLine('Questions? Call {{supportPhone}}.');
    expect(undeclared((await preview(clean)).checks)).toEqual([]);
    expect(
      (
        await app.request('/api/v1/admin/templates/back-in-stock/en', {
          method: 'PUT',
          headers: h,
          body: JSON.stringify(clean),
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await app.request('/api/v1/admin/templates/back-in-stock/en/publish', {
          method: 'POST',
          headers: h,
          body: '{}',
        })
      ).status,
    ).toBe(200);

    const { sku } = await createProduct(deps, { quantity: 0 });
    const [sub] = await createSubscribers(deps, sku, 1);
    await createRestockEvent(deps, sku, 1);
    await runSendPass(deps, deps.services);
    const found = await listMailbox(deps, { limit: 5, q: sub!.email });
    const msg = await readMailboxMessage(deps, { id: found.messages[0]!.id });
    expect(msg.html).toContain('Questions? Call +49 30 9999 000.');

    // Removed: the template's use of it blocks again.
    expect(
      (await app.request('/api/v1/admin/template-variables/supportPhone', { method: 'DELETE', headers: h })).status,
    ).toBe(204);
    expect(undeclared((await preview(clean)).checks)).toEqual([expect.stringContaining('{{supportPhone}}')]);
  });

  it('refuses a bad name, a name the sender or a template already uses, and unknown fields', async () => {
    const bad = await add({ name: 'Support phone', sampleValue: 'x', defaultValue: 'y' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/small letter/);
    const taken = await add({ name: 'productName', sampleValue: 'x', defaultValue: 'y' });
    expect(taken.status).toBe(409);
    expect(((await taken.json()) as Json).error.message).toMatch(/already has a meaning/);
    expect((await add({ name: 'shopName', sampleValue: 'x', defaultValue: 'y' })).status).toBe(409);
    expect((await add({ name: 'promo', sampleValue: 'x', defaultValue: 'y', html: true })).status).toBe(400);
    expect((await app.request('/api/v1/admin/template-variables/nope', { method: 'DELETE', headers: h })).status).toBe(
      404,
    );
  });
});
