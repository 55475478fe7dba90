import nodemailer from 'nodemailer';
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyFailure } from '../../src/sending/classify-failure.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';

// Real failures from a real nodemailer pool, classified: connection-level ones are `transport` (the
// breaker pauses, no attempt is spent); answers about the recipient or a drop mid-session are not.
const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

async function failureOf(url: string): Promise<unknown> {
  const t = nodemailer.createTransport({
    url,
    pool: true,
    maxRequeues: 0,
    connectionTimeout: 500,
    greetingTimeout: 500,
  } as never);
  try {
    await t.sendMail({ from: 'shop@shop.example', to: 'someone@mail.example', subject: 's', text: 't' });
    return undefined;
  } catch (err) {
    return err;
  } finally {
    t.close();
  }
}

async function tcp(onConnection: (socket: import('node:net').Socket) => void): Promise<number> {
  const server = createServer(onConnection);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

describe('classifyFailure on real transport errors', () => {
  it('refused, no greeting, a 421 greeting, TLS to a plain server: transport', async () => {
    const closed = await startSmtpSink();
    const refusedPort = closed.port;
    await closed.close();
    const silent = await tcp(() => {});
    const busy = await tcp((s) => s.end('421 4.3.2 too busy\r\n'));
    const plain = await startSmtpSink();
    try {
      for (const url of [
        `smtp://127.0.0.1:${refusedPort}`,
        `smtp://127.0.0.1:${silent}`,
        `smtp://127.0.0.1:${busy}`,
        `smtps://127.0.0.1:${plain.port}`,
      ]) {
        expect(classifyFailure(await failureOf(url)).kind, url).toBe('transport');
      }
    } finally {
      await plain.close();
    }
  });

  it('recipient answers and mid-session drops are not transport failures', async () => {
    const sink = await startSmtpSink();
    try {
      sink.setBehaviour('someone@mail.example', '451');
      expect(classifyFailure(await failureOf(sink.url)).kind).toBe('retry');
      sink.setBehaviour('someone@mail.example', '550');
      expect(classifyFailure(await failureOf(sink.url)).kind).toBe('hard-bounce');
    } finally {
      await sink.close();
    }
    expect(
      classifyFailure(Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION' })).kind,
    ).toBe('unknown');
  });
});
