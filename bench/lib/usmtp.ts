import { startChild } from './child.js';
import { coresUsed, snapshotCpu } from './cpu.js';
import { sampleMessage } from './sample-message.js';
import type { Sink } from './sink.js';
import type { SmtpBoundResult } from './smtp-bound.js';

export type UsmtpResult = SmtpBoundResult & { sinkCount: number; cores: Record<string, number> };

/** Measures U_smtp in a fresh child process against `sink` and checks the sink saw every message. */
export async function measureUsmtp(
  sink: Sink,
  connections: number,
  count: number,
  maxMessages?: number,
): Promise<UsmtpResult> {
  const message = await sampleMessage();
  const worker = await startChild('mail-worker.ts');
  try {
    // Warm-up: JIT, connection pool, sink; not measured.
    await worker.request('smtpBound', {
      url: sink.url,
      connections,
      count: Math.min(200, count),
      message,
      maxMessages,
    });
    await sink.reset();
    const before = snapshotCpu({ sender: worker.pid, sink: sink.pid });
    const result = await worker.request<SmtpBoundResult>('smtpBound', {
      url: sink.url,
      connections,
      count,
      message,
      maxMessages,
    });
    const after = snapshotCpu({ sender: worker.pid, sink: sink.pid });
    const stats = await sink.stats();
    if (stats.count !== count) throw new Error(`U_smtp: sink received ${stats.count} of ${count}`);
    return { ...result, sinkCount: stats.count, cores: coresUsed(before, after) };
  } finally {
    await worker.stop();
  }
}
