import { startChild, type ChildHandle } from './child.js';

type SinkStats = { count: number; bytes: number; firstAt: number | null; lastAt: number | null; connections: number };

export type Sink = {
  url: string;
  pid: number;
  reset(): Promise<SinkStats>;
  stats(): Promise<SinkStats>;
  /** The raw bytes (latin1) of the first message received since the last reset, or null. */
  captured(): Promise<string | null>;
  waitFor(n: number, timeoutMs?: number): Promise<SinkStats>;
  stop(): Promise<void>;
};

/** Starts bench/smtp-sink.ts as a separate process. */
export async function startSink(): Promise<Sink> {
  const child: ChildHandle = await startChild('smtp-sink.ts');
  return {
    url: String(child.info.url),
    pid: child.pid,
    reset: () => child.request<SinkStats>('reset'),
    stats: () => child.request<SinkStats>('stats'),
    captured: () => child.request<string | null>('captured'),
    waitFor: (n, timeoutMs = 10 * 60_000) => child.request<SinkStats>('waitFor', { n, timeoutMs }, timeoutMs + 5000),
    stop: () => child.stop(),
  };
}
