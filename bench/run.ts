import { fileURLToPath } from 'node:url';
import { benchmarkNames, runSelected, type BenchmarkName } from './benchmarks/index.js';
import { contextOptionsFromEnv, createContext } from './lib/context.js';
import { machineDetails } from './lib/machine.js';
import { textTable, writeResults } from './lib/report.js';
import { defaultDatabaseUrl } from './lib/scratch-db.js';

/**
 * `npm run bench` runs every benchmark; `npm run bench -- signup render` runs those. Needs a running
 * PostgreSQL (DATABASE_URL, default the local server); each benchmark creates and drops its own
 * database. Sizes: BENCH_SCALE multiplies every default size (0.01 for a quick check); per-benchmark
 * variables override (see docs/benchmarks.md). Prints the table; writes bench/results/latest.{json,md}.
 */
const args = process.argv.slice(2);
const unknown = args.filter((a) => !(benchmarkNames as readonly string[]).includes(a));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${benchmarkNames.join(', ')}`);
  process.exit(2);
}
const names = (args.length > 0 ? args : benchmarkNames) as BenchmarkName[];
const databaseUrl = process.env.DATABASE_URL || defaultDatabaseUrl;

const machine = await machineDetails(databaseUrl);
console.error(
  `restock-notifier benchmarks: ${machine.cores} cores (${machine.cpuModel}), Node ${machine.node}, ${machine.postgres.version?.split(' on ')[0]}`,
);
const options = contextOptionsFromEnv(databaseUrl);
const ctx = createContext(options);
const settings: Record<string, string> = {
  BENCH_SCALE: process.env.BENCH_SCALE ?? '1',
  SMTP_MAX_CONNECTIONS: String(options.smtpConnections),
  U_smtp_messages: String(options.usmtpMessages),
  BENCH_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
};
for (const [k, v] of Object.entries(process.env)) if (k.startsWith('BENCH_') && v !== undefined) settings[k] = v;

let rows;
try {
  rows = await runSelected(ctx, names);
} finally {
  await ctx.close();
}
console.log(`\n${textTable(rows)}\n`);
const dir = fileURLToPath(new URL('./results/', import.meta.url));
writeResults(dir, rows, machine, settings);
console.error(`results: ${dir}latest.md and latest.json`);
process.exit(rows.some((r) => r.met === false) ? 1 : 0);
