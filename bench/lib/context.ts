import { startSink, type Sink } from './sink.js';
import { sizeFromEnv, type BenchContext } from './types.js';
import type { BoundMessage } from './smtp-bound.js';
import { measureUsmtp, type UsmtpResult } from './usmtp.js';

export type ContextOptions = {
  databaseUrl: string;
  smtpConnections: number;
  /** Messages sent to measure U_smtp. */
  usmtpMessages: number;
  progress?: (line: string) => void;
};

export function contextOptionsFromEnv(databaseUrl: string): ContextOptions {
  return {
    databaseUrl,
    smtpConnections: sizeFromEnv('BENCH_SMTP_CONNECTIONS', 5, { scaled: false }),
    usmtpMessages: sizeFromEnv('BENCH_USMTP_MESSAGES', 5000, { min: 20 }),
  };
}

/** The shared parts of one run: one sink process and one U_smtp measurement. */
export function createContext(options: ContextOptions): BenchContext & { close(): Promise<void> } {
  let sink: Promise<Sink> | undefined;
  let usmtp: Promise<UsmtpResult> | undefined;
  const progress = options.progress ?? ((line: string) => process.stderr.write(`  … ${line}\n`));
  const ctx: BenchContext & { close(): Promise<void> } = {
    databaseUrl: options.databaseUrl,
    smtpConnections: options.smtpConnections,
    progress,
    sink() {
      sink ??= startSink();
      return sink;
    },
    usmtp(message?: BoundMessage) {
      if (message) {
        return (async () => {
          const s = await ctx.sink();
          progress(
            `U_smtp (the service's message): ${options.usmtpMessages} messages over ${options.smtpConnections} connections`,
          );
          return measureUsmtp(s, options.smtpConnections, options.usmtpMessages, message);
        })();
      }
      usmtp ??= (async () => {
        const s = await ctx.sink();
        progress(`U_smtp: ${options.usmtpMessages} messages over ${options.smtpConnections} connections`);
        return measureUsmtp(s, options.smtpConnections, options.usmtpMessages);
      })();
      return usmtp;
    },
    async close() {
      if (sink) await (await sink).stop();
    },
  };
  return ctx;
}
