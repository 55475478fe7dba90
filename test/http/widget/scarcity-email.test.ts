import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSendPass } from '../../../src/jobs/send.js';
import { createTestDeps, type TestDeps } from '../../helpers/deps.js';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.js';
import { createProduct, createRestockEvent, createSubscribers } from '../../helpers/factories.js';

/** Issue 12 point 4: with SHOW_WAITLIST_COUNT the back-in-stock email says how many units came back (en + de). */
let sink: SmtpSink;
let deps: TestDeps;
beforeAll(async () => {
  sink = await startSmtpSink();
  deps = await createTestDeps({ smtpUrl: sink.url, env: { SHOW_WAITLIST_COUNT: 'true', NOTIFY_PER_UNIT: '0' } });
});
afterAll(async () => {
  await deps?.close();
  await sink?.close();
});

describe('back-in-stock email with SHOW_WAITLIST_COUNT', () => {
  it("states the real number of units that came back, in the recipient's language", async () => {
    const { sku } = await createProduct(deps, { quantity: 0 });
    const [en] = await createSubscribers(deps, sku, 1, { locale: 'en', prefix: 'units-en' });
    const [de] = await createSubscribers(deps, sku, 1, { locale: 'de', prefix: 'units-de' });
    await createRestockEvent(deps, sku, 4);
    await runSendPass(deps, deps.services);
    const text = (email: string) => sink.messages.find((m) => m.envelopeTo.includes(email))?.parsed.text ?? '';
    expect(text(en!.email)).toMatch(/Only 4 came back\./);
    expect(text(de!.email)).toMatch(/Es sind nur 4 Stück wieder da\./);
  });
});
