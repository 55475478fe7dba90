import { pino, type Logger } from 'pino';
import { scrubText, scrubValue, serializeError } from './log-redact.js';

export type { Logger };

/**
 * JSON logs. No email address, token or secret reaches a log line: request bodies are not logged,
 * and every line passes `scrubValue` (log-redact.ts) — personal and secret keys replaced, strings
 * scrubbed, errors serialized with their scrubbed `cause` chain. The message string is scrubbed too.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      formatters: { log: (obj) => scrubValue(obj) as Record<string, unknown> },
      serializers: {
        err: (e: unknown) => (e instanceof Error ? serializeError(e) : e),
        msg: (m: unknown) => (typeof m === 'string' ? scrubText(m) : m),
      },
      redact: {
        paths: [
          'authorization',
          'headers.authorization',
          'headers.cookie',
          'password',
          'token',
          'config.appSecret',
          '*.appSecret',
        ],
        censor: '[redacted]',
      },
    },
    // Buffered asynchronous writes: a synchronous write(2) per request line cost ≈ 20 % of signup
    // throughput. `closeDeps` flushes the buffer on shutdown.
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
