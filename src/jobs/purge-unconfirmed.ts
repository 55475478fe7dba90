import { purgeUnconfirmed } from '../domain/subscriptions/purge-unconfirmed.js';
import type { Job } from './scheduler.js';

/** Hourly: drop pending signups whose confirmation link expired. */
export const purgeUnconfirmedJob: Job = (deps) => purgeUnconfirmed(deps);
