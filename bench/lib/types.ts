import type { Sink } from './sink.js';
import type { BoundMessage } from './smtp-bound.js';
import type { UsmtpResult } from './usmtp.js';

/** One line of the results table. `ratio` is figure ÷ bound where a bound exists. */
export type BenchRow = {
  name: string;
  /** Human-readable figure, e.g. "4,210 req/s; p50 9 ms, p99 31 ms". */
  figure: string;
  bound: string;
  ratio: number | null;
  goal: string;
  /** null when the goal could not be judged (e.g. a part is not built yet). */
  met: boolean | null;
  /** Raw numbers (JSON) for docs/benchmarks.md and for the smoke test. */
  details: Record<string, unknown>;
};

export type BenchContext = {
  /** Base URL of the PostgreSQL server; each benchmark creates its own database next to it. */
  databaseUrl: string;
  /** Progress lines go here (stderr by default, silent in the smoke test). */
  progress(line: string): void;
  /** Pooled SMTP connections for the sender and for U_smtp (the same count, as the issue asks). */
  smtpConnections: number;
  /** The run's SMTP sink (a separate process), started on first use. */
  sink(): Promise<Sink>;
  /**
   * U_smtp. Without a message: the sample rendering (sample-message.ts), measured once per run on first
   * use and shared. With one (a message the service sent in this run, captured-message.ts): measured
   * now, for that message.
   */
  usmtp(message?: BoundMessage): Promise<UsmtpResult>;
};

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : String(n);

/** Reads a positive number from the environment, scaled by BENCH_SCALE (default 1) when `scaled`. */
export function sizeFromEnv(name: string, fallback: number, options: { scaled?: boolean; min?: number } = {}): number {
  const raw = process.env[name];
  const scale = options.scaled === false ? 1 : Number(process.env.BENCH_SCALE ?? '1');
  const base = raw !== undefined && raw !== '' ? Number(raw) : fallback;
  if (!Number.isFinite(base) || base <= 0) throw new Error(`${name} must be a positive number`);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error('BENCH_SCALE must be a positive number');
  const value = raw !== undefined && raw !== '' ? base : base * scale;
  return Math.max(options.min ?? 1, Math.round(value));
}
