import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, type Mailer } from '../../src/mail/mailer.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { observeMailer } from '../../src/metrics/observe-mailer.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

let sink: SmtpSink;
let mailer: Mailer;
const metrics = createMetrics();
beforeAll(async () => {
  sink = await startSmtpSink();
  mailer = observeMailer(
    createMailer({ kind: 'smtp', url: sink.url, maxConnections: 1 }, { from: 'Shop <shop@example.com>' }),
    metrics,
  );
});
afterAll(async () => {
  await mailer.close();
  await sink.close();
});

const message = (to: string) => ({ to, subject: 'Hi', html: '<p>Hi</p>', text: 'Hi' });
const replies = async () =>
  Object.fromEntries((await metrics.smtpReplies.get()).values.map((v) => [String(v.labels.class), v.value]));

describe('SMTP replies by class (restock_smtp_replies_total)', () => {
  it('counts what a real SMTP server answered: 250, 451, 550, and no reply at all', async () => {
    sink.setBehaviour('busy@example.com', '451');
    sink.setBehaviour('gone@example.com', '550');
    await mailer.send(message('ok@example.com'));
    await expect(mailer.send(message('busy@example.com'))).rejects.toMatchObject({ responseCode: 451 });
    await expect(mailer.send(message('gone@example.com'))).rejects.toMatchObject({ responseCode: 550 });
    const refused = observeMailer(
      createMailer({ kind: 'smtp', url: 'smtp://127.0.0.1:1', maxConnections: 1 }, { from: 'shop@example.com' }),
      metrics,
    );
    await expect(refused.send(message('ok@example.com'))).rejects.toThrow();
    await refused.close();
    expect(await replies()).toEqual({ '2xx': 1, '4xx': 1, '5xx': 1, network: 1 });
  });
});
