import type { BenchContext, BenchRow } from '../lib/types.js';
import { confirmationsOptionsFromEnv, runConfirmations } from './confirmations.js';
import { latencyOptionsFromEnv, runLatency } from './latency.js';
import { fanoutSizesFromEnv, memoryRow, runFanout, type FanoutResult } from './fanout.js';
import { renderOptionsFromEnv, runRender } from './render.js';
import { runScan, scanOptionsFromEnv } from './scan.js';
import { runSignup, signupOptionsFromEnv } from './signup.js';
import { runWaveApi, waveApiSizeFromEnv } from './wave-api.js';

export const benchmarkNames = [
  'signup',
  'signup-doi-off',
  'fanout-10k',
  'fanout-100k',
  'memory',
  'confirmations',
  'wave-api-10k',
  'render',
  'scan',
  'latency',
] as const;
export type BenchmarkName = (typeof benchmarkNames)[number];

/** Runs the named benchmarks in table order; `memory` reuses the fan-out runs' peak RSS. */
export async function runSelected(ctx: BenchContext, names: readonly BenchmarkName[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const sizes = fanoutSizesFromEnv();
  const fanouts: Partial<Record<'fanout-10k' | 'fanout-100k', FanoutResult>> = {};
  const fanout = async (name: 'fanout-10k' | 'fanout-100k') =>
    (fanouts[name] ??= await runFanout(ctx, {
      label: name,
      recipients: name === 'fanout-10k' ? sizes.small : sizes.large,
    }));
  for (const name of benchmarkNames) {
    if (!names.includes(name)) continue;
    ctx.progress(`${name}: starting`);
    try {
      switch (name) {
        case 'signup':
        case 'signup-doi-off':
          rows.push(...(await runSignup(ctx, signupOptionsFromEnv(), name === 'signup' ? 'doi-on' : 'doi-off')));
          break;
        case 'fanout-10k':
        case 'fanout-100k':
          rows.push((await fanout(name)).row);
          break;
        case 'memory':
          rows.push(
            memoryRow(await fanout('fanout-10k'), await fanout('fanout-100k'), {
              small: 'fanout-10k',
              large: 'fanout-100k',
            }),
          );
          break;
        case 'confirmations':
          rows.push(await runConfirmations(ctx, confirmationsOptionsFromEnv()));
          break;
        case 'wave-api-10k':
          rows.push(await runWaveApi(ctx, waveApiSizeFromEnv()));
          break;
        case 'render':
          rows.push(...(await runRender(ctx, renderOptionsFromEnv())));
          break;
        case 'scan':
          rows.push(...(await runScan(ctx, scanOptionsFromEnv())));
          break;
        case 'latency':
          rows.push(...(await runLatency(ctx, latencyOptionsFromEnv())));
          break;
        default:
          rows.push({ name, figure: 'not built yet', bound: '—', ratio: null, goal: '—', met: null, details: {} });
      }
    } catch (err) {
      ctx.progress(`${name}: FAILED ${err instanceof Error ? err.stack : String(err)}`);
      rows.push({
        name,
        figure: `error: ${err instanceof Error ? err.message : String(err)}`,
        bound: '—',
        ratio: null,
        goal: '—',
        met: false,
        details: {},
      });
    }
  }
  return rows;
}
