import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs. Secrets never reach a log line: request bodies are not logged, and the redact list
 * covers the places where a token or password could appear.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['authorization', 'headers.authorization', 'headers.cookie', 'password', 'token', 'config.appSecret', '*.appSecret'],
        censor: '[redacted]',
      },
    },
    // Buffered asynchronous writes: a synchronous write(2) per request line cost ≈ 20 % of signup
    // throughput. `closeDeps` flushes the buffer on shutdown.
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
