import { sql } from 'drizzle-orm';
import { rows as dbRows } from '../../src/db/client.js';
import { coresUsed, snapshotCpu } from '../lib/cpu.js';
import { createScratchDb } from '../lib/scratch-db.js';
import { startService } from '../lib/service.js';
import { fmt, sizeFromEnv, type BenchContext, type BenchRow } from '../lib/types.js';
import { seedWaitlist, TOKEN, waveEnv } from './fanout.js';

export function waveApiSizeFromEnv(): number {
  return sizeFromEnv('BENCH_WAVE_API_RECIPIENTS', 10_000);
}

const SKU = 'BENCH-WAVE-API-1';
const epochNow = () => performance.timeOrigin + performance.now();

/**
 * `wave-api-10k`: the restock wave as a shop triggers it. The real service (`src/main.ts` in one
 * `ROLE=all` process, started like the systemd unit starts it, default cron schedules, wake-ups on)
 * has N active subscriptions waiting for one SKU; the harness calls `PUT /api/v1/inventory/{sku}` over
 * HTTP and nothing else: the service's own wake-up runs the restock scan and the send pass (settle 0,
 * no per-unit limit). Figure: messages/s from the call to the sink's N-th message; bound U_smtp.
 */
export async function runWaveApi(ctx: BenchContext, recipients: number): Promise<BenchRow> {
  const label = `wave-api-${recipients >= 1000 ? `${Math.round(recipients / 1000)}k` : recipients}`;
  const usmtp = await ctx.usmtp();
  const sink = await ctx.sink();
  const db = await createScratchDb(ctx.databaseUrl, 'wave_api');
  try {
    ctx.progress(`${label}: seeding ${recipients} active subscriptions`);
    await seedWaitlist(db, SKU, recipients);
    const service = await startService({ ...waveEnv(ctx, db.url, sink.url), ROLE: 'all' }, { http: true });
    try {
      await service.waitForLog('wake-ups: listening');
      // The start-up catch-up pass (scan + send with nothing due) is over before the clock starts.
      await new Promise((r) => setTimeout(r, 1000));
      await sink.reset();
      ctx.progress(`${label}: PUT /api/v1/inventory/${SKU} → ${recipients} messages`);
      const before = snapshotCpu({ service: service.pid, sink: sink.pid });
      const waiting = sink.waitFor(recipients, 60 * 60_000);
      const t0 = epochNow();
      const res = await fetch(`${service.url}/api/v1/inventory/${encodeURIComponent(SKU)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ quantity: recipients, reason: 'restock' }),
      });
      const putMs = epochNow() - t0;
      if (res.status !== 200) throw new Error(`PUT inventory → ${res.status} ${await res.text()}`);
      const stats = await waiting;
      const after = snapshotCpu({ service: service.pid, sink: sink.pid });
      // The last outcomes are recorded just after the sink has the last message.
      let sent = 0;
      for (let i = 0; i < 100 && sent < recipients; i++) {
        [{ n: sent } = { n: 0 }] = await dbRows<{ n: number }>(
          db.database.db,
          sql`select count(*)::int as n from deliveries where status = 'sent'`,
        );
        if (sent < recipients) await new Promise((r) => setTimeout(r, 100));
      }
      const totalMs = (stats.lastAt ?? 0) - t0;
      const firstMs = (stats.firstAt ?? 0) - t0;
      const perSecond = (recipients / totalMs) * 1000;
      const ratio = perSecond / usmtp.perSecond;
      return {
        name: label,
        figure: `${fmt(perSecond)} msg/s (${fmt(recipients)} in ${fmt(totalMs / 1000, 1)} s); first after ${fmt(firstMs)} ms`,
        bound: `U_smtp ${fmt(usmtp.perSecond)} msg/s`,
        ratio: Math.round(ratio * 100) / 100,
        goal: '≥ 0.90 × U_smtp',
        met: ratio >= 0.9 && sent === recipients,
        details: {
          recipients,
          connections: ctx.smtpConnections,
          role: 'all',
          messagesPerSecond: Math.round(perSecond),
          firstMessageMs: Math.round(firstMs),
          totalMs: Math.round(totalMs),
          putMs: Math.round(putMs),
          sentRows: sent,
          sinkBytes: stats.bytes,
          sinkConnections: stats.connections,
          cores: coresUsed(before, after),
          uSmtp: { perSecond: Math.round(usmtp.perSecond), messages: usmtp.messages, cores: usmtp.cores },
        },
      };
    } finally {
      await service.stop();
    }
  } finally {
    await db.drop();
  }
}
