import { startChild } from './child.js';
import { coresUsed, snapshotCpu } from './cpu.js';
import { sampleMessage } from './sample-message.js';
import type { Sink } from './sink.js';
import type { BoundMessage, SmtpBoundResult } from './smtp-bound.js';

export type UsmtpResult = SmtpBoundResult & {
  sinkCount: number;
  /** Size of each message as the sink received it (compare with the service's). */
  sinkBytesPerMessage: number;
  cores: Record<string, number>;
  /** CPU time of the sending process per message (µs): nodemailer's compose + SMTP client. */
  senderCpuUsPerMessage: number;
  /** What was sent: `captured` (a message the service sent in this run) or `sample` (sample-message.ts). */
  message: 'captured' | 'sample';
};

/**
 * Measures U_smtp in a fresh child process against `sink` and checks the sink saw every message.
 * `message`: what to send (default: the sample rendering of back-in-stock, sample-message.ts).
 */
export async function measureUsmtp(
  sink: Sink,
  connections: number,
  count: number,
  given?: BoundMessage,
  maxMessages?: number,
): Promise<UsmtpResult> {
  const message = given ?? (await sampleMessage());
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
    return {
      ...result,
      sinkCount: stats.count,
      sinkBytesPerMessage: Math.round(stats.bytes / stats.count),
      cores: coresUsed(before, after),
      senderCpuUsPerMessage: Math.round(((after.pids.sender ?? 0) - (before.pids.sender ?? 0)) * 1000) / count,
      message: given ? 'captured' : 'sample',
    };
  } finally {
    await worker.stop();
  }
}
