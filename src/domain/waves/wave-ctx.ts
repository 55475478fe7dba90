import type { Deps } from '../../deps.js';
import type { Outbox } from '../../ledger/outbox.js';

/** What the wave planners use: config, database, clock, log, and the outbox their fan-outs queue through. */
export type WaveCtx = Pick<Deps, 'config' | 'db' | 'clock' | 'log'> & { outbox: Pick<Outbox, 'fanOut'> };
